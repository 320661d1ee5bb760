/**
 * Process definitions for the province (流程 SPGL_SPLCXXB_V3, 阶段 SPGL_DFXMSPLCJDXXB, 阶段事项
 * SPGL_SPLCJBLSXXXB_V3), built from a template version: the province must know the process a project's
 * SPLCBM / SPLCBBH name. Pure: the service hands in the template and the catalog items.
 */
import { CITY_XZQHDM, type SpglRow } from './exchange.rules';
import { PROCESS_TABLE, STAGE_ITEM_TABLE, STAGE_TABLE } from './spgl.tables.data';

export interface DefinitionStage {
  nationalStage: number;
  name: string;
  mergedStages: readonly number[];
  completionRule: 'all_milestones' | 'any_milestone';
  timeLimitWorkingDays: number;
  items: readonly { itemCode: string; prerequisites: readonly string[] }[];
}

/** What the V3 stage-item table needs of a catalog item: its current version (审批事项版本号). */
export interface DefinitionItem {
  version: number;
}

export interface DefinitionFacts {
  code: string;
  version: number;
  name: string;
  nationalProcessType: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  totalWorkingDays: number;
  stages: readonly DefinitionStage[];
  items: ReadonlyMap<string, DefinitionItem>;
  /** Where the flowchart is published (审批流程图地址). */
  flowchartUrl: string | null;
}

export interface DefinitionRow {
  tableCode: string;
  row: SpglRow;
}

/** 地方数据主键 of a process version, a stage of it, and an item in a stage: stable across rebuilds. */
export const processKey = (code: string, version: number) => `${code}.${version}`;

/** 里程碑事项类型 LCBSXLX: 1 all milestones complete the stage, 2 any one does. */
const LCBSXLX = { all_milestones: 1, any_milestone: 2 } as const;

export function definitionRows(d: DefinitionFacts): DefinitionRow[] {
  const key = processKey(d.code, d.version);
  const rows: DefinitionRow[] = [
    {
      tableCode: PROCESS_TABLE,
      row: {
        DFSJZJ: key,
        XZQHDM: CITY_XZQHDM,
        SPLCBM: d.code,
        SPLCMC: d.name,
        SPLCBBH: d.version,
        SPLCSM: `${d.name}：${d.stages.length} 个阶段，全流程 ${d.totalWorkingDays} 个工作日`,
        SJYXBS: 1,
        SJWXYY: null,
        // 对应标准审批流程类型 GJBZSPLCLX 1–10.
        DYBZSPLCLX: Number(d.nationalProcessType),
        // 适用范围: the reference gives no code list; the city (1) is our reading — UNCERTAIN.
        SYFW: null,
        SPLCTDZ: d.flowchartUrl,
        SXRQ: d.effectiveFrom,
        TYRQ: d.effectiveTo,
      },
    },
  ];
  for (const s of d.stages) {
    rows.push({
      tableCode: STAGE_TABLE,
      row: {
        DFSJZJ: `${key}.${s.nationalStage}`,
        XZQHDM: CITY_XZQHDM,
        SPLCBM: d.code,
        SPLCBBH: d.version,
        SPJDBM: `${d.code}-${s.nationalStage}`,
        SPJDMC: s.name,
        SPJDXH: s.nationalStage,
        // 对应标准审批阶段序号 DYBZSPJDXH (1–4, 5 并行推进); a merged stage (带方案出让) names both.
        DYBZSPJDXH: s.mergedStages.join(','),
        SPJDSX: s.timeLimitWorkingDays,
        LCBSXLX: LCBSXLX[s.completionRule],
        SJYXBS: 1,
        SJWXYY: null,
      },
    });
    for (const ti of s.items) {
      const item = d.items.get(ti.itemCode);
      rows.push({
        tableCode: STAGE_ITEM_TABLE,
        row: {
          DFSJZJ: `${key}.${s.nationalStage}.${ti.itemCode}`,
          XZQHDM: CITY_XZQHDM,
          SPLCBM: d.code,
          SPLCBBH: d.version,
          SPJDXH: s.nationalStage,
          SPSXBM: ti.itemCode,
          SPSXBBH: item?.version ?? null,
          SJYXBS: 1,
          SJWXYY: null,
        },
      });
    }
  }
  return rows;
}
