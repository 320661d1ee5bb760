import { InboxOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const WindowQueuePage = lazy(() => import('./WindowQueuePage'));
const WindowApplicationPage = lazy(() => import('./WindowApplicationPage'));

const window: RouteHandle = { roles: ['window', 'supervisor', 'admin'] };

export const routes: RouteObject[] = [
  { path: 'window', element: <WindowQueuePage />, handle: window },
  { path: 'window/applications/:id', element: <WindowApplicationPage />, handle: window },
];

export const menu: AppMenuItem[] = [
  {
    key: 'window',
    labelKey: 'menu.window',
    path: '/window',
    icon: <InboxOutlined />,
    roles: ['window'],
    order: 6,
  },
];
