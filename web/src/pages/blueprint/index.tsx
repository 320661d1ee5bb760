import { GlobalOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const BlueprintMapPage = lazy(() => import('./BlueprintMapPage'));
const AnnualPlanPage = lazy(() => import('./AnnualPlanPage'));

/** Everyone but applicants (the annual plan route is staff-only on the server too). */
const staff: RouteHandle = {
  roles: ['window', 'reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'agent', 'admin'],
};

export const routes: RouteObject[] = [
  { path: 'blueprint', element: <BlueprintMapPage /> },
  { path: 'blueprint/annual-plan', element: <AnnualPlanPage />, handle: staff },
];

export const menu: AppMenuItem[] = [
  { key: 'blueprint', labelKey: 'menu.blueprint', path: '/blueprint', icon: <GlobalOutlined />, order: 40 },
  {
    key: 'annualPlan',
    labelKey: 'menu.annualPlan',
    path: '/blueprint/annual-plan',
    icon: <GlobalOutlined />,
    roles: staff.roles,
    order: 41,
  },
];
