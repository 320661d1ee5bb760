import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Geometry columns: written with ST_ functions, read with ST_AsGeoJSON — never selected raw. */
type Geometry = ColumnType<string, string, string>;

/** Who sees a layer's features: staff only, or everyone logged in (what the city publishes). */
export type LayerAudience = 'staff' | 'public';

export interface BlueprintLayerTable {
  id: Generated<string>;
  name: string;
  kind: string;
  version: number;
  isCurrent: Generated<boolean>;
  featureCount: Generated<number>;
  /** 0440: 'staff' (default) or 'public' (published by the city: every logged-in user sees it). */
  audience: Generated<LayerAudience>;
  createdBy: string | null;
  createdAt: Date;
}

export interface BlueprintFeatureTable {
  id: Generated<number>;
  layerId: string;
  featureNo: number;
  name: string | null;
  landUse: string | null;
  unitCode: string | null;
  assessments: ColumnType<string[], string[] | undefined, string[]>;
  properties: JSONColumnType<Record<string, unknown>, string, string>;
  geom: Geometry;
}

export interface ProjectSiteCheckTable {
  id: Generated<string>;
  projectId: string;
  verdict: string;
  siteAreaM2: number;
  conflicts: JSONColumnType<unknown[], string, string>;
  regionalAssessments: JSONColumnType<object, string, string>;
  checkedAt: Date;
  /** Added in 0410; null on checks stored before it. */
  districtCheck: ColumnType<object | null, string | null | undefined, string | null>;
}

/** 行政区划 a project may be registered under (0410). */
export interface DistrictTable {
  code: string;
  name: string;
  kind: string;
  active: Generated<boolean>;
  sortOrder: Generated<number>;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface DifferenceAnalysisTable {
  id: Generated<string>;
  layerA: string;
  layerB: string;
  status: string;
  processed: Generated<number>;
  total: Generated<number>;
  patchCount: Generated<number>;
  totalAreaM2: Generated<number>;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface DifferencePatchTable {
  id: Generated<number>;
  analysisId: string;
  featureA: number;
  featureB: number;
  landUseA: string;
  landUseB: string;
  areaM2: number;
  geom: Geometry;
}

export interface PlannedProjectTable {
  id: Generated<string>;
  name: string;
  site: Geometry;
  siteAreaM2: number;
  siteCheck: JSONColumnType<object, string, string>;
  workingDays: number;
  createdBy: string;
  createdAt: Date;
  /** The enterprise the project is planned for (null only on rows from before migration 0520). */
  enterpriseId: string | null;
  /** The 年度实施计划 year (task 53). */
  planYear: number;
  usedByProjectId: string | null;
  usedAt: Date | null;
}

export interface PlannedProjectOpinionTable {
  plannedProjectId: string;
  departmentCode: string;
  deadline: string;
  opinion: string | null;
  conditions: JSONColumnType<string[], string, string> | null;
  answeredBy: string | null;
  answeredAt: Date | null;
}

export interface BlueprintTables {
  blueprintLayer: BlueprintLayerTable;
  blueprintFeature: BlueprintFeatureTable;
  projectSiteCheck: ProjectSiteCheckTable;
  differenceAnalysis: DifferenceAnalysisTable;
  differencePatch: DifferencePatchTable;
  plannedProject: PlannedProjectTable;
  plannedProjectOpinion: PlannedProjectOpinionTable;
  district: DistrictTable;
}
