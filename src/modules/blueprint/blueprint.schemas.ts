/** Zod request/response schemas of the blueprint API (validation + OpenAPI). */
import { z } from 'zod';
import { layerKinds } from './blueprint.rules';

const GeoJsonObject = z
  .looseObject({ type: z.string() })
  .describe('GeoJSON 对象 (RFC 7946, CGCS2000 经纬度 [经度, 纬度])');

export const UploadLayerSchema = z.object({
  name: z.string().trim().min(1).max(200).describe('图层名称'),
  kind: z.string().describe(`图层类型: ${layerKinds.join(' / ')}`),
  audience: z
    .enum(['staff', 'public'])
    .optional()
    .describe('可见范围: staff 仅工作人员 (默认; 行政区界默认 public) / public 公开'),
  geojson: GeoJsonObject.describe(
    'FeatureCollection (Polygon / MultiPolygon); 区域评估单元带 assessments、unitCode; 规划带 landUse',
  ),
});

export const LayerCreatedSchema = z.object({
  id: z.uuid(),
  featureCount: z.number().int(),
  version: z.number().int(),
});

export const LayerSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  kindName: z.string().describe('图层类型名称'),
  version: z.number().int(),
  isCurrent: z.boolean(),
  featureCount: z.number().int(),
  audience: z.enum(['staff', 'public']).describe('可见范围 who sees the features'),
  createdAt: z.date(),
});

export const IdParams = z.object({ id: z.uuid() });

export const BboxQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox=minLon,minLat,maxLon,maxLat')
    .optional()
    .describe('minLon,minLat,maxLon,maxLat'),
  zoom: z.coerce
    .number()
    .int()
    .min(0)
    .max(24)
    .optional()
    .describe('地图缩放级别: 给出时按该级别的像素大小简化几何, 略去小于一个像素的要素, 并分页 (每页 2000)'),
  after: z.coerce.number().int().min(0).optional().describe('分页游标: 上一页的 nextAfter'),
});

const FeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.number(),
  properties: z.record(z.string(), z.unknown()),
  geometry: z.unknown(),
});

export const FeaturesSchema = z.object({
  type: z.literal('FeatureCollection'),
  layer: z.object({ id: z.uuid(), name: z.string(), kind: z.string(), version: z.number() }),
  truncated: z.boolean().describe('要素数超过上限 (不分页 5000; 分页时每页 2000) 时为 true'),
  summarised: z
    .boolean()
    .describe(
      '视野内要素超过 10000 个时为 true: 返回按网格汇总的范围框 (properties.count 为要素数), 放大后显示要素',
    ),
  nextAfter: z
    .number()
    .nullable()
    .describe('分页时下一页的 after 游标; null 表示已是最后一页 (不分页时恒为 null)'),
  features: z.array(FeatureSchema),
});

export const SiteCheckRequestSchema = z.object({
  site: GeoJsonObject.describe('用地范围 Polygon / MultiPolygon'),
});

const AssessmentUnit = z.object({
  unitCode: z.string().nullable(),
  assessments: z.array(z.string()),
  assessmentNames: z.array(z.string()).optional().describe('评估类型名称 (与 assessments 同序)'),
  overlapRatio: z.number(),
});

export const DistrictCheckSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    boundaryLoaded: z.boolean().describe('是否已载入该区划的行政区界'),
    inside: z.boolean().nullable().describe('用地是否位于区界内; 未载入区界时为 null'),
    outsideAreaM2: z.number(),
    warning: z.string().nullable().describe('未能核对时的提示'),
  })
  .describe('用地与所属区县 (districtCode) 行政区界的核对');

export const SiteCheckSchema = z.object({
  verdict: z
    .enum(['clear', 'warning', 'blocked'])
    .describe('clear 无冲突; warning 超出城镇开发边界; blocked 占用生态保护红线或永久基本农田'),
  district: DistrictCheckSchema.nullable().describe('登记时给出区县才核对; 单独的选址检查为 null'),
  siteAreaM2: z.number(),
  conflicts: z.array(
    z.object({
      layerKind: z.string(),
      layerKindName: z.string().optional().describe('控制线名称'),
      layerId: z.uuid(),
      layerName: z.string(),
      featureId: z.number(),
      featureName: z.string().nullable(),
      overlapAreaM2: z.number(),
      overlapRatio: z.number(),
    }),
  ),
  urbanBoundary: z.object({ loaded: z.boolean(), outsideAreaM2: z.number() }),
  regionalAssessments: z.array(AssessmentUnit),
  coveredAssessments: z.array(z.string()).describe('区域评估已覆盖整个用地的评估类型 (任务44)'),
  coveredAssessmentNames: z.array(z.string()).optional().describe('已覆盖的评估类型名称'),
});

export const StartDifferenceSchema = z.object({ layerA: z.uuid(), layerB: z.uuid() });

export const DifferenceSchema = z.object({
  id: z.uuid(),
  layerA: z.uuid(),
  layerB: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.object({ processed: z.number(), total: z.number() }),
  patchCount: z.number(),
  totalAreaM2: z.number(),
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  patches: z.object({ type: z.literal('FeatureCollection'), features: z.array(FeatureSchema) }),
});

export const CreatePlannedProjectSchema = z.object({
  name: z.string().trim().min(1).max(200).describe('策划项目名称'),
  site: GeoJsonObject.describe('拟选址 Polygon / MultiPolygon'),
  departments: z.array(z.string()).min(1).max(30).describe('征求意见的部门代码'),
  workingDays: z.number().int().min(1).max(60).describe('意见反馈时限 (工作日)'),
  enterpriseId: z.uuid().describe('策划项目的建设单位: 只有该单位可据此登记项目 (一次)'),
  planYear: z.number().int().min(2000).max(2100).optional().describe('年度实施计划年份, 默认今年'),
});

export const OpinionSchema = z.object({
  opinion: z.string().trim().min(1).max(4000).describe('部门意见'),
  conditions: z.array(z.string().trim().min(1).max(1000)).max(50).default([]).describe('建设条件'),
});

export const PlannedProjectSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  site: z.unknown(),
  siteAreaM2: z.number(),
  siteCheck: z.unknown(),
  workingDays: z.number(),
  createdAt: z.date(),
  createdBy: z.uuid(),
  enterpriseId: z.uuid().nullable().describe('建设单位 (迁移前的旧记录为 null, 首次登记时绑定)'),
  planYear: z.number().int().describe('年度实施计划年份'),
  usedByProjectId: z.uuid().nullable().describe('据此登记的项目; null 表示尚未使用'),
  usedAt: z.date().nullable(),
  opinions: z.array(
    z.object({
      departmentCode: z.string(),
      departmentName: z.string(),
      deadline: z.string(),
      status: z.enum(['pending', 'answered', 'overdue']),
      opinion: z.string().nullable(),
      conditions: z.array(z.string()),
      answeredAt: z.date().nullable(),
    }),
  ),
});

export const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const AnnualPlanSchema = z.object({
  year: z.number().int(),
  total: z.number().int(),
  counts: z.record(z.string(), z.number().int()).describe('按成熟度计数'),
  readinessNames: z.record(z.string(), z.string()).describe('成熟度名称'),
  projects: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      enterpriseId: z.uuid().nullable(),
      enterpriseName: z.string().nullable(),
      siteAreaM2: z.number(),
      site: z.unknown().describe('策划选址 GeoJSON (CGCS2000)'),
      siteVerdict: z.string().nullable(),
      readiness: z
        .enum(['registered', 'blocked', 'ready', 'overdue', 'consulting'])
        .describe(
          'registered 已登记立项; blocked 选址冲突; ready 意见齐备可申报; overdue 意见逾期; consulting 征求意见中',
        ),
      readinessName: z.string(),
      projectId: z.uuid().nullable(),
      projectCode: z.string().nullable(),
      opinions: z.array(
        z.object({
          departmentCode: z.string(),
          departmentName: z.string(),
          deadline: z.string(),
          status: z.enum(['answered', 'overdue', 'pending']),
          opinion: z.string().nullable(),
          conditions: z.array(z.string()),
        }),
      ),
    }),
  ),
});
