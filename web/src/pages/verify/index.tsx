/** The public certificate verification page, outside the login layout (see app/router.tsx). */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';

const VerifyPage = lazy(() => import('./VerifyPage'));

const page = (
  <Suspense fallback={<Spin />}>
    <VerifyPage />
  </Suspense>
);

export const publicRoutes: RouteObject[] = [
  { path: '/verify', element: page },
  { path: '/verify/:id', element: page },
];
