import { ShopOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const MarketplacePage = lazy(() => import('./MarketplacePage'));

/** Owners, intermediaries and 政务办 (window, head, supervisor, admin) each see their part of the page. */
const marketRoles = ['applicant', 'agent', 'intermediary', 'window', 'head', 'supervisor', 'admin'] as const;
const handle: RouteHandle = { roles: marketRoles };

export const routes: RouteObject[] = [{ path: 'marketplace', element: <MarketplacePage />, handle }];

export const menu: AppMenuItem[] = [
  {
    key: 'marketplace',
    labelKey: 'marketplace.menu',
    path: '/marketplace',
    icon: <ShopOutlined />,
    roles: marketRoles,
    order: 9,
  },
];
