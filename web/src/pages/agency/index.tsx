import { SolutionOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem } from '../../app/types';

const ConsentsPage = lazy(() => import('./ConsentsPage'));
const AgentDeskPage = lazy(() => import('./AgentDeskPage'));

export const routes: RouteObject[] = [
  { path: 'agency/consents', element: <ConsentsPage />, handle: { roles: ['applicant'] } },
  { path: 'agency/desk', element: <AgentDeskPage />, handle: { roles: ['agent'] } },
];

export const menu: AppMenuItem[] = [
  {
    key: 'agency-consents',
    labelKey: 'menu.agencyConsents',
    path: '/agency/consents',
    icon: <SolutionOutlined />,
    roles: ['applicant'],
    order: 7,
  },
  {
    key: 'agency-desk',
    labelKey: 'menu.agencyDesk',
    path: '/agency/desk',
    icon: <SolutionOutlined />,
    roles: ['agent'],
    order: 4,
  },
];
