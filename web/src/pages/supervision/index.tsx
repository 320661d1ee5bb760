import { AlertOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const SupervisionPage = lazy(() => import('./SupervisionPage'));

// A department's head comes here for the 督办 orders escalated to them.
const watchers: RouteHandle = { roles: ['supervisor', 'coordinator', 'head', 'admin'] };

export const routes: RouteObject[] = [
  { path: 'supervision', element: <SupervisionPage />, handle: watchers },
];

export const menu: AppMenuItem[] = [
  {
    key: 'supervision',
    labelKey: 'role.supervisor',
    path: '/supervision',
    icon: <AlertOutlined />,
    roles: ['supervisor', 'coordinator', 'head', 'admin'],
    order: 7,
  },
];
