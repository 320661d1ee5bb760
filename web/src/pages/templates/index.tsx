import { ApartmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem } from '../../app/types';

const TemplateListPage = lazy(() => import('./TemplateListPage'));
const TemplateDetailPage = lazy(() => import('./TemplateDetailPage'));
const TemplateEditPage = lazy(() => import('./TemplateEditPage'));

export const routes: RouteObject[] = [
  { path: 'templates', element: <TemplateListPage /> },
  { path: 'templates/:code', element: <TemplateDetailPage /> },
  { path: 'templates/:code/edit', element: <TemplateEditPage />, handle: { roles: ['admin'] } },
];

export const menu: AppMenuItem[] = [
  {
    key: 'templates',
    labelKey: 'menu.templates',
    path: '/templates',
    icon: <ApartmentOutlined />,
    order: 20,
  },
];
