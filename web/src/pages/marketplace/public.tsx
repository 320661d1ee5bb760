/** The public marketplace page (中介服务超市公开), outside the login layout (see app/router.tsx). */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';

const PublicMarketplacePage = lazy(() => import('./PublicMarketplacePage'));
const RegisterIntermediaryPage = lazy(() => import('./RegisterIntermediaryPage'));

export const publicRoutes: RouteObject[] = [
  {
    path: '/public/marketplace',
    element: (
      <Suspense fallback={<Spin />}>
        <PublicMarketplacePage />
      </Suspense>
    ),
  },
  {
    path: '/public/marketplace/register',
    element: (
      <Suspense fallback={<Spin />}>
        <RegisterIntermediaryPage />
      </Suspense>
    ),
  },
];
