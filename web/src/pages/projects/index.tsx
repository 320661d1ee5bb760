import { FolderOpenOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const ProjectListPage = lazy(() => import('./ProjectListPage'));
const ProjectRegisterPage = lazy(() => import('./ProjectRegisterPage'));
const ProjectDetailPage = lazy(() => import('./ProjectDetailPage'));
const StageApplyPage = lazy(() => import('./StageApplyPage'));

const applicants: RouteHandle = { roles: ['applicant', 'agent'] };

export const routes: RouteObject[] = [
  { path: 'projects', element: <ProjectListPage /> },
  { path: 'projects/new', element: <ProjectRegisterPage />, handle: applicants },
  { path: 'projects/:id', element: <ProjectDetailPage /> },
  { path: 'projects/:id/stages/:n/apply', element: <StageApplyPage />, handle: applicants },
];

export const menu: AppMenuItem[] = [
  {
    key: 'projects',
    labelKey: 'menu.projects',
    path: '/projects',
    icon: <FolderOpenOutlined />,
    roles: ['applicant', 'agent'],
    order: 5,
  },
];
