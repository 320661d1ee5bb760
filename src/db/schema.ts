/**
 * The database as Kysely sees it (camelCase; CamelCasePlugin maps to snake_case columns).
 * Each module declares its own tables in `<module>.tables.ts`; add one line here for a new module.
 */
import type { HttpTables } from '../http/http.tables';
import type { AgencyTables } from '../modules/agency/agency.tables';
import type { ApprovalTables } from '../modules/approvals/approval.tables';
import type { AuditTables } from '../modules/audit/audit.tables';
import type { BlueprintTables } from '../modules/blueprint/blueprint.tables';
import type { CalendarTables } from '../modules/calendar/calendar.tables';
import type { CatalogTables } from '../modules/catalog/catalog.tables';
import type { CreditTables } from '../modules/credit/credit.tables';
import type { CertificateTables } from '../modules/certificates/certificate.tables';
import type { DocumentTables } from '../modules/documents/document.tables';
import type { IdentityTables } from '../modules/identity/identity.tables';
import type { JointTables } from '../modules/joint/joint.tables';
import type { JurisdictionTables } from '../modules/jurisdiction/jurisdiction.tables';
import type { MarketplaceTables } from '../modules/marketplace/marketplace.tables';
import type { MaterialTables } from '../modules/materials/material.tables';
import type { PortalTables } from '../modules/portal/portal.tables';
import type { ExchangeTables } from '../modules/exchange/exchange.tables';
import type { ProjectTables } from '../modules/projects/project.tables';
import type { SupervisionTables } from '../modules/supervision/supervision.tables';
import type { TemplateTables } from '../modules/templates/template.tables';
import type { ForecastTables } from '../modules/forecast/forecast.tables';

interface SchemaMigrationTable {
  name: string;
  appliedAt: Date;
}

export interface DB
  extends
    IdentityTables,
    CatalogTables,
    TemplateTables,
    CalendarTables,
    AuditTables,
    ProjectTables,
    MaterialTables,
    ApprovalTables,
    CertificateTables,
    DocumentTables,
    SupervisionTables,
    BlueprintTables,
    HttpTables,
    ForecastTables,
    CreditTables,
    PortalTables,
    ExchangeTables,
    JointTables,
    JurisdictionTables,
    MarketplaceTables,
    AgencyTables {
  schemaMigration: SchemaMigrationTable;
}
