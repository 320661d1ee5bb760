import {
  ApartmentOutlined,
  BankOutlined,
  CalendarOutlined,
  ClusterOutlined,
  EnvironmentOutlined,
  SafetyOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const CalendarPage = lazy(() => import('./CalendarPage'));
const SecurityPage = lazy(() => import('./SecurityPage'));
const UsersPage = lazy(() => import('./UsersPage'));
const DepartmentsPage = lazy(() => import('./DepartmentsPage'));
const EnterprisesPage = lazy(() => import('./EnterprisesPage'));
const JurisdictionPage = lazy(() => import('./JurisdictionPage'));
const DistrictsPage = lazy(() => import('./DistrictsPage'));

const adminOnly: RouteHandle = { roles: ['admin'] };
const adminOrWindow: RouteHandle = { roles: ['admin', 'window'] };

export const routes: RouteObject[] = [
  { path: 'admin/calendar', element: <CalendarPage />, handle: adminOnly },
  { path: 'admin/security', element: <SecurityPage />, handle: adminOnly },
  { path: 'admin/users', element: <UsersPage />, handle: adminOnly },
  { path: 'admin/departments', element: <DepartmentsPage />, handle: adminOnly },
  { path: 'admin/enterprises', element: <EnterprisesPage />, handle: adminOrWindow },
  { path: 'admin/jurisdiction', element: <JurisdictionPage />, handle: adminOnly },
  { path: 'admin/districts', element: <DistrictsPage />, handle: adminOnly },
];

export const menu: AppMenuItem[] = [
  {
    key: 'admin',
    labelKey: 'menu.adminGroup',
    icon: <SettingOutlined />,
    roles: ['admin'],
    order: 90,
    children: [
      {
        key: 'admin-calendar',
        labelKey: 'menu.adminCalendar',
        path: '/admin/calendar',
        icon: <CalendarOutlined />,
        roles: ['admin'],
        order: 10,
      },
      {
        key: 'admin-security',
        labelKey: 'menu.adminSecurity',
        path: '/admin/security',
        icon: <SafetyOutlined />,
        roles: ['admin'],
        order: 20,
      },
      {
        key: 'admin-users',
        labelKey: 'menu.adminUsers',
        path: '/admin/users',
        icon: <TeamOutlined />,
        roles: ['admin'],
        order: 30,
      },
      {
        key: 'admin-departments',
        labelKey: 'menu.adminDepartments',
        path: '/admin/departments',
        icon: <ApartmentOutlined />,
        roles: ['admin'],
        order: 40,
      },
      {
        key: 'admin-jurisdiction',
        labelKey: 'menu.adminJurisdiction',
        path: '/admin/jurisdiction',
        icon: <ClusterOutlined />,
        roles: ['admin'],
        order: 50,
      },
      {
        key: 'admin-districts',
        labelKey: 'menu.adminDistricts',
        path: '/admin/districts',
        icon: <EnvironmentOutlined />,
        roles: ['admin'],
        order: 55,
      },
    ],
  },
  {
    key: 'enterprise-registrations',
    labelKey: 'menu.adminEnterprises',
    path: '/admin/enterprises',
    icon: <BankOutlined />,
    roles: ['admin', 'window'],
    order: 85,
  },
];
