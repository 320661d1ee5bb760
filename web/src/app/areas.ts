/** The areas of the app, in menu order. Adding an area = one import line and one array entry. */
import type { Area } from './types';
import * as home from '../pages/home';
import * as catalog from '../pages/catalog';
import * as templates from '../pages/templates';
import * as admin from '../pages/admin';

export const areas: Area[] = [home, catalog, templates, admin];
