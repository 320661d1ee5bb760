/** Issue 15: the public enterprise self-registration page, outside the login layout (see app/router.tsx). */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';

const RegisterPage = lazy(() => import('./RegisterPage'));

export const publicRoutes: RouteObject[] = [
  {
    path: '/register',
    element: (
      <Suspense fallback={<Spin />}>
        <RegisterPage />
      </Suspense>
    ),
  },
];
