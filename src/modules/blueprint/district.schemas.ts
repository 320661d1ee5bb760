import { z } from 'zod';

export const DistrictKindSchema = z
  .enum(['county', 'functional_zone'])
  .describe('county 县级行政区 (区、县、县级市); functional_zone 功能区 (开发区、新区)');

export const DistrictSchema = z.object({
  code: z.string().describe('行政区划代码 6 位'),
  name: z.string().describe('名称, 如 中原区'),
  kind: DistrictKindSchema,
  active: z.boolean().describe('停用后不能再用于新登记的项目; 已登记项目不受影响'),
  sortOrder: z.number().int(),
  boundaryLoaded: z.boolean().describe('“一张蓝图”中是否已载入该区划的行政区界 (district_boundary 图层)'),
  updatedAt: z.string().describe('ISO 8601'),
});

const districtFields = {
  name: z.string().trim().min(1).max(50).describe('名称'),
  kind: DistrictKindSchema,
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(9999).default(0),
};

export const CreateDistrictSchema = z.object({
  code: z
    .string()
    .regex(/^\d{6}$/, '行政区划代码须为 6 位数字 (district code must be 6 digits)')
    .describe('行政区划代码 6 位'),
  ...districtFields,
});
export type CreateDistrictInput = z.infer<typeof CreateDistrictSchema>;

export const UpdateDistrictSchema = z.object(districtFields);
export type UpdateDistrictInput = z.infer<typeof UpdateDistrictSchema>;

export const DistrictCodeParams = z.object({
  code: z
    .string()
    .regex(/^\d{6}$/)
    .describe('行政区划代码'),
});

export const ListDistrictsQuery = z.object({
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('是否包括已停用的区划'),
});
