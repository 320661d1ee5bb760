import { AlertOutlined, BellOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const SupervisionPage = lazy(() => import('./SupervisionPage'));
const OrdersPage = lazy(() => import('./OrdersPage'));

// A department's head comes here for the 督办 orders escalated to them.
const watchers: RouteHandle = { roles: ['supervisor', 'coordinator', 'head', 'admin'] };

// The department staff who answer 督办 orders on their department's tasks.
const departmentStaff: RouteHandle = { roles: ['reviewer', 'senior', 'head', 'coordinator'] };

export const routes: RouteObject[] = [
  { path: 'supervision', element: <SupervisionPage />, handle: watchers },
  { path: 'orders', element: <OrdersPage />, handle: departmentStaff },
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
  {
    key: 'orders',
    labelKey: 'menu.orders',
    path: '/orders',
    icon: <BellOutlined />,
    roles: ['reviewer', 'senior', 'head', 'coordinator'],
    order: 8,
  },
];
