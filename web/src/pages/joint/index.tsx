import { ApartmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const JointDeskPage = lazy(() => import('./JointDeskPage'));

const staff: RouteHandle = { roles: ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'] };

export const routes: RouteObject[] = [{ path: 'joint', element: <JointDeskPage />, handle: staff }];

export const menu: AppMenuItem[] = [
  {
    key: 'joint',
    labelKey: 'menu.joint',
    path: '/joint',
    icon: <ApartmentOutlined />,
    roles: ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'],
    order: 6,
  },
];
