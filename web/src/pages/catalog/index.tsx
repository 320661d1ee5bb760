import { AppstoreOutlined, BranchesOutlined, FileSearchOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem } from '../../app/types';

const CatalogListPage = lazy(() => import('./CatalogListPage'));
const CatalogItemPage = lazy(() => import('./CatalogItemPage'));
const CatalogChangesPage = lazy(() => import('./CatalogChangesPage'));
const CatalogItemEditPage = lazy(() => import('./CatalogItemEditPage'));

export const routes: RouteObject[] = [
  { path: 'catalog', element: <CatalogListPage /> },
  { path: 'catalog/changes', element: <CatalogChangesPage /> },
  { path: 'catalog/:code', element: <CatalogItemPage /> },
  { path: 'catalog/:code/edit', element: <CatalogItemEditPage />, handle: { roles: ['admin'] } },
];

export const menu: AppMenuItem[] = [
  {
    key: 'catalogGroup',
    labelKey: 'menu.catalogGroup',
    icon: <AppstoreOutlined />,
    order: 10,
    children: [
      { key: 'catalog', labelKey: 'menu.catalog', path: '/catalog', icon: <FileSearchOutlined />, order: 10 },
      {
        key: 'catalog-changes',
        labelKey: 'menu.catalogChanges',
        path: '/catalog/changes',
        icon: <BranchesOutlined />,
        order: 20,
      },
    ],
  },
];
