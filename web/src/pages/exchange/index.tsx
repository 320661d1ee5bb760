import { CloudSyncOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const ExchangePage = lazy(() => import('./ExchangePage'));

const adminOnly: RouteHandle = { roles: ['admin'] };

export const routes: RouteObject[] = [
  { path: 'admin/exchange', element: <ExchangePage />, handle: adminOnly },
];

export const menu: AppMenuItem[] = [
  {
    key: 'admin-exchange',
    labelKey: 'menu.adminExchange',
    path: '/admin/exchange',
    icon: <CloudSyncOutlined />,
    roles: ['admin'],
    order: 91,
  },
];
