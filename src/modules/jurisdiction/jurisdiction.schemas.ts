import { z } from 'zod';

export const JurisdictionLevelSchema = z
  .enum(['city', 'district', 'investment'])
  .describe('事权：市级 / 区县级 / 按投资规模 (city, district, by total investment)');

export const ItemJurisdictionSchema = z.object({
  itemCode: z.string(),
  itemName: z.string(),
  stage: z.number().int(),
  departmentCode: z.string().describe('市级部门（条线）'),
  level: JurisdictionLevelSchema,
  levelName: z.string(),
  cityFromInvestment: z.number().nullable().describe('万元：总投资达到此数由市级办理'),
  note: z.string().nullable(),
});
export const ItemJurisdictionsResponse = z.object({ items: z.array(ItemJurisdictionSchema) });

export const ItemCodeParams = z.object({ code: z.string().min(1).max(40) });

export const SetJurisdictionRequest = z
  .object({
    level: JurisdictionLevelSchema,
    cityFromInvestment: z.number().positive().max(1e12).nullable().default(null),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.level === 'investment' && v.cityFromInvestment === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['cityFromInvestment'],
        message: '按投资规模划分须给出市级办理的投资起点（万元）(threshold required)',
      });
    }
    if (v.level !== 'investment' && v.cityFromInvestment !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['cityFromInvestment'],
        message: '只有按投资规模划分时才填写投资起点 (only for level investment)',
      });
    }
  });
export type SetJurisdictionInput = z.infer<typeof SetJurisdictionRequest>;

export const RoutingQuery = z.object({
  districtCode: z.string().regex(/^[0-9]{6}$/, '6 位行政区划代码'),
  totalInvestment: z.coerce.number().min(0).max(1e12).describe('总投资（万元）'),
  stage: z.coerce.number().int().min(1).max(5).optional(),
});
export const RoutingResponse = z.object({
  districtCode: z.string(),
  items: z.array(
    z.object({
      itemCode: z.string(),
      itemName: z.string(),
      stage: z.number().int(),
      level: z.enum(['city', 'district']).describe('实际办理层级'),
      departmentCode: z.string(),
      departmentName: z.string(),
      cityStandsIn: z.boolean().describe('区县无该条线部门，由市级部门办理'),
    }),
  ),
});
