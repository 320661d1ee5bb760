import { AlertOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const SupervisionPage = lazy(() => import('./SupervisionPage'));

const watchers: RouteHandle = { roles: ['supervisor', 'coordinator', 'admin'] };

export const routes: RouteObject[] = [
  { path: 'supervision', element: <SupervisionPage />, handle: watchers },
];

export const menu: AppMenuItem[] = [
  {
    key: 'supervision',
    labelKey: 'role.supervisor',
    path: '/supervision',
    icon: <AlertOutlined />,
    roles: ['supervisor', 'coordinator', 'admin'],
    order: 7,
  },
];
