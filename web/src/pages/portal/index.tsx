/** The public portal, outside the login layout (see app/router.tsx). */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';

const PortalPage = lazy(() => import('./PortalPage'));
const AnswerPage = lazy(() => import('./PortalPage').then((m) => ({ default: m.AnswerPage })));

const wrap = (node: React.ReactNode) => <Suspense fallback={<Spin />}>{node}</Suspense>;

export const publicRoutes: RouteObject[] = [
  { path: '/portal', element: wrap(<PortalPage />) },
  { path: '/portal/answer/:id', element: wrap(<AnswerPage />) },
  { path: '/portal/:tab', element: wrap(<PortalPage />) },
];
