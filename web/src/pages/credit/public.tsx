/** The public credit pages (信用公示, 双随机抽查公示), outside the login layout (see app/router.tsx). */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';

const PublicCreditPage = lazy(() => import('./PublicCreditPage'));

const page = (
  <Suspense fallback={<Spin />}>
    <PublicCreditPage />
  </Suspense>
);

export const publicRoutes: RouteObject[] = [
  { path: '/public/credit', element: page },
  { path: '/public/credit/draws/:id', element: page },
];
