import { AuditOutlined, CheckSquareOutlined, SolutionOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { AppMenuItem, RouteHandle } from '../../app/types';

const InboxPage = lazy(() => import('./InboxPage'));
const TaskPage = lazy(() => import('./TaskPage'));
const InspectionsPage = lazy(() => import('./InspectionsPage'));

const reviewers: RouteHandle = { roles: ['reviewer', 'senior'] };

export const routes: RouteObject[] = [
  { path: 'review', element: <InboxPage />, handle: reviewers },
  { path: 'review/tasks/:id', element: <TaskPage /> },
  { path: 'review/inspections', element: <InspectionsPage />, handle: reviewers },
];

export const menu: AppMenuItem[] = [
  {
    key: 'reviewGroup',
    labelKey: 'menu.reviewGroup',
    icon: <AuditOutlined />,
    roles: ['reviewer', 'senior'],
    order: 6,
    children: [
      { key: 'review', labelKey: 'menu.review', path: '/review', icon: <SolutionOutlined />, order: 10 },
      {
        key: 'review-inspections',
        labelKey: 'menu.reviewInspections',
        path: '/review/inspections',
        icon: <CheckSquareOutlined />,
        order: 20,
      },
    ],
  },
];
