import { ApartmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const JointDeskPage = lazy(() => import('./JointDeskPage'));
const JointProjectPage = lazy(() => import('./JointProjectPage'));

const staff: RouteHandle = { roles: ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'] };
const applicants: RouteHandle = { roles: ['applicant', 'agent'] };

export const routes: RouteObject[] = [
  { path: 'joint', element: <JointDeskPage />, handle: staff },
  { path: 'joint/project', element: <JointProjectPage />, handle: applicants },
];

export const menu: AppMenuItem[] = [
  {
    key: 'joint',
    labelKey: 'menu.joint',
    path: '/joint',
    icon: <ApartmentOutlined />,
    roles: ['reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'admin'],
    order: 6,
  },
  {
    key: 'joint-project',
    labelKey: 'menu.joint',
    path: '/joint/project',
    icon: <ApartmentOutlined />,
    roles: ['applicant', 'agent'],
    order: 6,
  },
];
