import { HomeOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem } from '../../app/types';

const HomePage = lazy(() => import('./HomePage'));

export const routes: RouteObject[] = [{ index: true, element: <HomePage /> }];

export const menu: AppMenuItem[] = [
  { key: 'home', labelKey: 'menu.home', path: '/', icon: <HomeOutlined />, order: 0 },
];
