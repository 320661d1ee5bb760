/** The areas of the app, in menu order. Adding an area = one import line and one array entry. */
import type { Area } from './types';
import * as home from '../pages/home';
import * as catalog from '../pages/catalog';
import * as templates from '../pages/templates';
import * as admin from '../pages/admin';
import * as blueprint from '../pages/blueprint';
import * as projects from '../pages/projects';
import * as windowDesk from '../pages/window';
import * as review from '../pages/review';
import * as coordination from '../pages/coordination';
import * as supervision from '../pages/supervision';
import * as head from '../pages/head';
import * as reopen from '../pages/reopen';
import * as forecast from '../pages/forecast';
import * as credit from '../pages/credit';
import * as exchange from '../pages/exchange';
import * as joint from '../pages/joint';
import * as marketplace from '../pages/marketplace';
import * as agency from '../pages/agency';

export const areas: Area[] = [
  home,
  catalog,
  templates,
  admin,
  blueprint,
  projects,
  windowDesk,
  review,
  coordination,
  supervision,
  head,
  reopen,
  forecast,
  credit,
  exchange,
  joint,
  marketplace,
  agency,
];
