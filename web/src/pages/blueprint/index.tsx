import { GlobalOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem } from '../../app/types';

const BlueprintMapPage = lazy(() => import('./BlueprintMapPage'));

export const routes: RouteObject[] = [{ path: 'blueprint', element: <BlueprintMapPage /> }];

export const menu: AppMenuItem[] = [
  { key: 'blueprint', labelKey: 'menu.blueprint', path: '/blueprint', icon: <GlobalOutlined />, order: 40 },
];
