import { FieldTimeOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const ForecastListPage = lazy(() => import('./ForecastListPage'));
const ScenarioPage = lazy(() => import('./ScenarioPage'));
const TimeToPermitPage = lazy(() => import('./TimeToPermitPage'));

const watchers: RouteHandle = { roles: ['supervisor', 'coordinator', 'admin'] };
const reformers: RouteHandle = { roles: ['admin', 'supervisor'] };

export const routes: RouteObject[] = [
  { path: 'forecast', element: <ForecastListPage />, handle: watchers },
  { path: 'forecast/scenarios', element: <ScenarioPage />, handle: reformers },
  { path: 'forecast/time-to-permit', element: <TimeToPermitPage />, handle: watchers },
];

export const menu: AppMenuItem[] = [
  {
    key: 'forecast',
    labelKey: 'forecast.menu',
    path: '/forecast',
    icon: <FieldTimeOutlined />,
    roles: ['supervisor', 'coordinator', 'admin'],
    order: 8,
  },
  {
    key: 'forecastTimeToPermit',
    labelKey: 'forecast.timeToPermit',
    path: '/forecast/time-to-permit',
    icon: <FieldTimeOutlined />,
    roles: ['supervisor', 'coordinator', 'admin'],
    order: 9,
  },
  {
    key: 'forecastScenarios',
    labelKey: 'forecast.scenarios',
    path: '/forecast/scenarios',
    icon: <FieldTimeOutlined />,
    roles: ['admin', 'supervisor'],
    order: 21,
  },
];
