import { AuditOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const ReopenCountersignPage = lazy(() => import('./ReopenCountersignPage'));

const supervisors: RouteHandle = { roles: ['supervisor', 'admin'] };

export const routes: RouteObject[] = [
  { path: 'reopenings', element: <ReopenCountersignPage />, handle: supervisors },
];

export const menu: AppMenuItem[] = [
  {
    key: 'reopenings',
    labelKey: 'menu.reopenings',
    path: '/reopenings',
    icon: <AuditOutlined />,
    roles: ['supervisor', 'admin'],
    order: 8,
  },
];
