import { SafetyCertificateOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const CreditDeskPage = lazy(() => import('./CreditDeskPage'));
const MyCreditPage = lazy(() => import('./MyCreditPage'));

const staffRoles = ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'] as const;
const staff: RouteHandle = { roles: staffRoles };
const applicants: RouteHandle = { roles: ['applicant'] };

export const routes: RouteObject[] = [
  { path: 'credit', element: <CreditDeskPage />, handle: staff },
  { path: 'credit/mine', element: <MyCreditPage />, handle: applicants },
];

export const menu: AppMenuItem[] = [
  {
    key: 'credit',
    labelKey: 'credit.menu',
    path: '/credit',
    icon: <SafetyCertificateOutlined />,
    roles: staffRoles,
    order: 8,
  },
  {
    key: 'credit-mine',
    labelKey: 'credit.mine',
    path: '/credit/mine',
    icon: <SafetyCertificateOutlined />,
    roles: ['applicant'],
    order: 8,
  },
];
