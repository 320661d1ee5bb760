/** Every module's routes, registered in this order. Add one line for a new module. */
import { adminRoutes } from '../modules/identity/admin.routes';
import { agencyRoutes } from '../modules/agency/agency.routes';
import { approvalRoutes } from '../modules/approvals/approval.routes';
import { auditRoutes } from '../modules/audit/audit.routes';
import { blueprintRoutes } from '../modules/blueprint/blueprint.routes';
import { calendarRoutes } from '../modules/calendar/calendar.routes';
import { catalogRoutes } from '../modules/catalog/catalog.routes';
import { creditRoutes } from '../modules/credit/credit.routes';
import { certificateKeyRoutes } from '../modules/certificates/certificate-keys.routes';
import { certificateRoutes } from '../modules/certificates/certificate.routes';
import { documentRoutes } from '../modules/documents/document.routes';
import { exchangeRoutes } from '../modules/exchange/exchange.routes';
import { jurisdictionRoutes } from '../modules/jurisdiction/jurisdiction.routes';
import { identityRoutes } from '../modules/identity/identity.routes';
import { oidcRoutes } from '../modules/identity/oidc.routes';
import { jointRoutes } from '../modules/joint/joint.routes';
import { marketplaceRoutes } from '../modules/marketplace/marketplace.routes';
import { materialRoutes } from '../modules/materials/material.routes';
import { portalRoutes } from '../modules/portal/portal.routes';
import { projectRoutes } from '../modules/projects/project.routes';
import { statsRoutes } from '../modules/stats/stats.routes';
import { supervisionRoutes } from '../modules/supervision/supervision.routes';
import { systemRoutes } from '../modules/system/system.routes';
import { templateRoutes } from '../modules/templates/template.routes';
import { forecastRoutes } from '../modules/forecast/forecast.routes';
import type { RouteModule } from './context';

export const routeModules: RouteModule[] = [
  systemRoutes,
  identityRoutes,
  oidcRoutes,
  catalogRoutes,
  templateRoutes,
  calendarRoutes,
  auditRoutes,
  projectRoutes,
  materialRoutes,
  approvalRoutes,
  certificateRoutes,
  certificateKeyRoutes,
  documentRoutes,
  supervisionRoutes,
  statsRoutes,
  blueprintRoutes,
  forecastRoutes,
  creditRoutes,
  portalRoutes,
  exchangeRoutes,
  jointRoutes,
  adminRoutes,
  jurisdictionRoutes,
  marketplaceRoutes,
  agencyRoutes,
];
