import { SafetyCertificateOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const HeadPage = lazy(() => import('./HeadPage'));

const heads: RouteHandle = { roles: ['head'] };

export const routes: RouteObject[] = [{ path: 'head', element: <HeadPage />, handle: heads }];

export const menu: AppMenuItem[] = [
  {
    key: 'head',
    labelKey: 'menu.head',
    path: '/head',
    icon: <SafetyCertificateOutlined />,
    roles: ['head'],
    order: 6,
  },
];
