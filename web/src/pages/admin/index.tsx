import { CalendarOutlined, SafetyOutlined, SettingOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const CalendarPage = lazy(() => import('./CalendarPage'));
const SecurityPage = lazy(() => import('./SecurityPage'));

const adminOnly: RouteHandle = { roles: ['admin'] };

export const routes: RouteObject[] = [
  { path: 'admin/calendar', element: <CalendarPage />, handle: adminOnly },
  { path: 'admin/security', element: <SecurityPage />, handle: adminOnly },
];

export const menu: AppMenuItem[] = [
  {
    key: 'admin',
    labelKey: 'menu.adminGroup',
    icon: <SettingOutlined />,
    roles: ['admin'],
    order: 90,
    children: [
      {
        key: 'admin-calendar',
        labelKey: 'menu.adminCalendar',
        path: '/admin/calendar',
        icon: <CalendarOutlined />,
        roles: ['admin'],
        order: 10,
      },
      {
        key: 'admin-security',
        labelKey: 'menu.adminSecurity',
        path: '/admin/security',
        icon: <SafetyOutlined />,
        roles: ['admin'],
        order: 20,
      },
    ],
  },
];
