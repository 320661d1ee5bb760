import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ProjectAttributes } from '../templates/template.schemas';

export interface ProjectCodeCounterTable {
  year: number;
  districtCode: string;
  lastSerial: number;
}

export interface ProjectTable {
  id: Generated<string>;
  code: string;
  name: string;
  enterpriseId: string;
  templateCode: string;
  templateVersion: number;
  districtCode: string;
  industryCode: string;
  approvalType: string;
  totalInvestment: number;
  attributes: JSONColumnType<ProjectAttributes, string, string>;
  /** PostGIS geometry(MultiPolygon, 4490): write with ST_ functions, read with ST_AsGeoJSON. */
  site: ColumnType<string, string, string>;
  siteAreaM2: number;
  plannedStart: string;
  plannedCompletion: string;
  preconditions: ColumnType<string[], string[] | undefined, string[]>;
  createdBy: string;
  createdAt: Date;
  plannedProjectId: string | null;
  constructionConditions: ColumnType<string[], string | undefined, string>;
}

export interface ProjectTables {
  projectCodeCounter: ProjectCodeCounterTable;
  project: ProjectTable;
}
