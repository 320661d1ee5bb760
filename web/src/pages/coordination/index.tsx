import { ApartmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const CoordinationPage = lazy(() => import('./CoordinationPage'));
const CoordinationProjectPage = lazy(() => import('./CoordinationProjectPage'));

const leads: RouteHandle = { roles: ['coordinator', 'supervisor', 'admin'] };

export const routes: RouteObject[] = [
  { path: 'coordination', element: <CoordinationPage />, handle: leads },
  { path: 'coordination/:id', element: <CoordinationProjectPage />, handle: leads },
];

export const menu: AppMenuItem[] = [
  {
    key: 'coordination',
    labelKey: 'menu.coordination',
    path: '/coordination',
    icon: <ApartmentOutlined />,
    roles: ['coordinator'],
    order: 6,
  },
];
