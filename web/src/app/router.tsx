import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { RequireAuth } from '../auth';
import { LoginPage } from '../pages/login/LoginPage';
import { publicRoutes as portalRoutes } from '../pages/portal';
import { publicRoutes as verifyRoutes } from '../pages/verify';
import { publicRoutes as creditPublicRoutes } from '../pages/credit/public';
import { publicRoutes as registerRoutes } from '../pages/register';
import { publicRoutes as marketplacePublicRoutes } from '../pages/marketplace/public';
import { AppLayout } from './AppLayout';
import { areas } from './areas';
import { NotFound } from './NotFound';

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  ...verifyRoutes,
  ...creditPublicRoutes,
  ...marketplacePublicRoutes,
  ...portalRoutes,
  ...registerRoutes,
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [...areas.flatMap((a) => a.routes), { path: '*', element: <NotFound /> }],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
