/** The blueprint API as the map page uses it (shapes mirror src/modules/blueprint/blueprint.schemas.ts). */
import { api } from '../../api/client';

export interface Layer {
  id: string;
  name: string;
  kind: string;
  /** 生态保护红线 …: the kind as a person reads it (from the server's vocabulary). */
  kindName: string;
  version: number;
  featureCount: number;
}

export interface FeatureCollectionJson {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id: number; properties: Record<string, unknown>; geometry: unknown }[];
}

export interface Conflict {
  layerKind: string;
  layerKindName?: string;
  layerId: string;
  layerName: string;
  featureId: number;
  featureName: string | null;
  overlapAreaM2: number;
  overlapRatio: number;
}

export interface SiteCheck {
  verdict: 'clear' | 'warning' | 'blocked';
  siteAreaM2: number;
  conflicts: Conflict[];
  urbanBoundary: { loaded: boolean; outsideAreaM2: number };
  regionalAssessments: {
    unitCode: string | null;
    assessments: string[];
    assessmentNames?: string[];
    overlapRatio: number;
  }[];
  coveredAssessments: string[];
  coveredAssessmentNames?: string[];
}

export interface DifferenceAnalysis {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { processed: number; total: number };
  patchCount: number;
  totalAreaM2: number;
  patches: FeatureCollectionJson;
}

export const blueprintApi = {
  layers: () => api.get<{ layers: Layer[] }>('/api/blueprint/layers'),
  features: (id: string) => api.get<FeatureCollectionJson>(`/api/blueprint/layers/${id}/features`),
  /** One page of a layer's features in a box, simplified for a zoom level (nextAfter: the next page). */
  featurePage: (id: string, bbox: number[], zoom: number, after?: number) =>
    api.get<FeatureCollectionJson & { nextAfter: number | null }>(
      `/api/blueprint/layers/${id}/features?bbox=${bbox.map((v) => v.toFixed(6)).join(',')}&zoom=${zoom}` +
        (after !== undefined ? `&after=${after}` : ''),
    ),
  check: (site: unknown) => api.post<SiteCheck>('/api/blueprint/site-checks', { site }),
  startDifference: (layerA: string, layerB: string) =>
    api.post<{ id: string; status: string }>('/api/blueprint/difference-analyses', { layerA, layerB }),
  difference: (id: string) => api.get<DifferenceAnalysis>(`/api/blueprint/difference-analyses/${id}`),
  annualPlan: (year: number) => api.get<AnnualPlan>(`/api/blueprint/annual-plans/${year}`),
};

/** 年度实施计划 (task 53), as GET /api/blueprint/annual-plans/:year returns it. */
export interface AnnualPlan {
  year: number;
  total: number;
  counts: Record<string, number>;
  readinessNames: Record<string, string>;
  projects: {
    id: string;
    name: string;
    enterpriseId: string | null;
    enterpriseName: string | null;
    siteAreaM2: number;
    site: unknown;
    siteVerdict: string | null;
    readiness: 'registered' | 'blocked' | 'ready' | 'overdue' | 'consulting';
    readinessName: string;
    projectId: string | null;
    projectCode: string | null;
    opinions: {
      departmentCode: string;
      departmentName: string;
      deadline: string;
      status: 'answered' | 'overdue' | 'pending';
      opinion: string | null;
      conditions: string[];
    }[];
  }[];
}

/** Where the site drawn on the map waits for the registration form (one tab, cleared once read). */
export const DRAWN_SITE_KEY = 'zz.drawnSite';
