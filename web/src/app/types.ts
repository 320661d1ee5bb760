import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n';

/**
 * One entry of the side menu. Leaves have a `path`; groups have `children`. Groups with the same key
 * from different areas are merged, so an area can add a page under an existing group (e.g. 'admin').
 */
export interface AppMenuItem {
  key: string;
  labelKey: MessageKey;
  path?: string;
  icon?: ReactNode;
  /** Roles that see the entry; omitted = every logged-in user. */
  roles?: readonly Role[];
  /** Sort order among siblings (smaller first). */
  order?: number;
  children?: AppMenuItem[];
}

/** What a route may declare in `handle`: the roles allowed to open it (omitted = every role). */
export interface RouteHandle {
  roles?: readonly Role[];
}

/** An area of the app: a folder under pages/ whose index.tsx exports these two. */
export interface Area {
  routes: RouteObject[];
  menu: AppMenuItem[];
}
