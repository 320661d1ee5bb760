/**
 * Provincial exchange rules, pure: the SPGL rows built from the system's facts (field codes and code lists
 * as in ../shared/reference), the validation rules checked before upload, the row checksum compared by
 * reconciliation, and the retry backoff.
 */
import { createHash } from 'node:crypto';
import {
  COMPLETION_FILING_TABLE,
  CONSTRUCTION_PERMIT_TABLE,
  CONTROL_LINE_TABLE,
  DRAWING_REVIEW_TABLE,
  HANDLING_TABLE,
  ITEM_TABLE,
  LAND_USE_PERMIT_TABLE,
  PLANNING_PERMIT_TABLE,
  PRELIMINARY_OPINION_TABLE,
  PROCESS_TABLE,
  PROJECT_TABLE,
  RED_LINE_TABLE,
  REPLY_TABLE,
  spglTable,
  STAGE_ITEM_TABLE,
  STAGE_TABLE,
  type SpglTable,
} from './spgl.tables.data';

export type SpglValue = string | number | null;
export type SpglRow = Record<string, SpglValue>;

/** 行政区划代码 of the city (郑州市): the exchanging authority. */
export const CITY_XZQHDM = '410100';
export const DATA_SOURCE = '郑州市工程建设项目审批管理系统';

/**
 * Filled by the 前置库 (or by upload bookkeeping), never part of the business row or its checksum: 流水号,
 * 数据上传状态, 失败原因; the 2019 tables' 上传时间 / 更新时间 and the V3 licence tables' 是否上报 (SYNC).
 */
export const BOOKKEEPING_FIELDS = new Set(['LSH', 'SJSCZT', 'SBYY', 'SCSJ', 'GXSJ', 'SYNC']);

/** 数据上传状态 written with every upserted row: 0 = uploaded, not yet taken by the province (UNCERTAIN code). */
export const SJSCZT_UPLOADED = 0;

export interface ProjectFacts {
  id: string;
  code: string;
  name: string;
  districtCode: string;
  industryCode: string;
  approvalType: string;
  totalInvestment: number;
  plannedStart: string;
  plannedCompletion: string;
  siteAreaM2: number;
  buildingArea: number | null;
  createdAt: string;
  templateCode: string;
  templateVersion: number;
  nationalProcessType: string | null;
  landWithScheme: boolean;
  withinRegionalAssessment: boolean;
  enterpriseName: string;
  enterpriseCreditCode: string | null;
  /** Every main stage completed: 项目是否完全办结, with the last completion. */
  completedAt: string | null;
}

const flag = (b: boolean) => (b ? 1 : 0);

/** 项目基本信息 (SPGL_XMJBXXB_V3), one row per project keyed by its id. */
export function projectRow(p: ProjectFacts): SpglRow {
  return {
    DFSJZJ: p.id,
    XZQHDM: CITY_XZQHDM,
    XMDM: p.code,
    XMMC: p.name,
    // 立项类型 from the project code's type segment (01 审批, 02 核准, 03 备案).
    LXLX: /^\d{2}$/.test(p.approvalType) ? Number(p.approvalType) : null,
    GBHY: p.industryCode,
    NKGSJ: p.plannedStart,
    NJCSJ: p.plannedCompletion,
    ZTZE: p.totalInvestment,
    JSDD: p.districtCode,
    JSGMJNR: p.buildingArea ? `总建筑面积 ${p.buildingArea} 平方米` : null,
    SBSJ: p.createdAt,
    SPLCBM: p.templateCode,
    SPLCBBH: p.templateVersion,
    SJYXBS: 1,
    SJWXYY: null,
    GCDM: p.code,
    TDSFDSJFA: flag(p.landWithScheme),
    SFWCQYPG: flag(p.withinRegionalAssessment),
    SPLCLX: p.nationalProcessType ? Number(p.nationalProcessType) : null,
    XMSFWQBJ: flag(p.completedAt !== null),
    XMWQBJSJ: p.completedAt,
    JSDDXZQH: p.districtCode,
    JSDW: p.enterpriseName,
    JSDWDM: p.enterpriseCreditCode,
    YDMJ: Math.round(p.siteAreaM2 * 100) / 100,
    JZMJ: p.buildingArea,
  };
}

export interface TaskFacts {
  id: string;
  applicationId: string;
  projectCode: string;
  itemCode: string;
  itemVersion: number;
  templateCode: string;
  templateVersion: number;
  departmentCode: string;
  departmentName: string;
  limitWorkingDays: number;
  viaCommitment: boolean;
}

/** 项目审批事项办理信息 (SPGL_XMSPSXBLXXB_V3): one row per item instance (事项实例 = task). */
export function itemRow(t: TaskFacts): SpglRow {
  return {
    DFSJZJ: t.id,
    XZQHDM: CITY_XZQHDM,
    GCDM: t.projectCode,
    SPSXBM: t.itemCode,
    SPSXBBH: t.itemVersion,
    SPLCBM: t.templateCode,
    SPLCBBH: t.templateVersion,
    SPSXSLBM: t.id,
    SPBMBM: t.departmentCode,
    SPBMMC: t.departmentName,
    // 受理方式 4: 全流程网上申请和办理 (applications are filed online; the window accepts them online).
    SLFS: 4,
    BLSPSLBM: t.applicationId,
    SXBLSX: t.limitWorkingDays,
    SJYXBS: 1,
    SJWXYY: null,
    // 是否实行告知承诺制 (SFSXGZCNZ): 1 告知承诺, 0 审批制.
    SXGZCNZSPQK: t.viaCommitment ? '1' : '0',
  };
}

export interface HandlingFacts {
  /** Unique per state change: the outbox row's id. */
  changeId: string;
  taskId: string;
  projectCode: string;
  departmentName: string;
  actor: string | null;
  blzt: number;
  opinion: string | null;
  at: string;
  enterpriseName: string;
  enterpriseCreditCode: string | null;
}

/** 项目审批事项办理详细信息 (SPGL_XMSPSXBLXXXXB_V3): one row per state change of an item instance. */
export function handlingRow(h: HandlingFacts): SpglRow {
  return {
    DFSJZJ: `${h.taskId}.${h.changeId}`,
    XZQHDM: CITY_XZQHDM,
    GCDM: h.projectCode,
    SPSXSLBM: h.taskId,
    BLCS: h.departmentName,
    BLR: h.actor,
    BLZT: h.blzt,
    BLYJ: h.opinion,
    BLSJ: h.at,
    SJYXBS: 1,
    SJWXYY: null,
    DWMC: h.enterpriseName,
    DWTYSHXYDM: h.enterpriseCreditCode,
    SJLY: DATA_SOURCE,
  };
}

export interface CertificateFacts {
  id: string;
  taskId: string;
  projectCode: string;
  identifier: string;
  title: string;
  issuedOn: string;
  validUntil: string;
  revokedReason: string | null;
  revoked: boolean;
}

/** 审批事项批复文件信息 (SPGL_XMSPSXPFWJXXB_V3): one row per certificate (电子证照 as 批复文件). */
export function replyRow(c: CertificateFacts): SpglRow {
  return {
    DFSJZJ: c.id,
    XZQHDM: CITY_XZQHDM,
    GCDM: c.projectCode,
    SPSXSLBM: c.taskId,
    PFRQ: c.issuedOn,
    PFWH: c.identifier,
    PFWJBT: c.title,
    // 9999-… means 长期有效: no end date.
    PFWJYXQX: c.validUntil.startsWith('9999') ? null : c.validUntil,
    ZZBH: c.identifier,
    ZZBS: c.identifier,
    SJYXBS: c.revoked ? 0 : 1,
    SJWXYY: c.revoked ? (c.revokedReason ?? '已撤销') : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation (checked before upload; a failing row is held back and listed for the administrator).

export interface RowProblem {
  rule: string;
  field: string;
  message: string;
}

const REQUIRED: Record<string, readonly string[]> = {
  [PROJECT_TABLE]: [
    'DFSJZJ',
    'XZQHDM',
    'XMDM',
    'XMMC',
    'NKGSJ',
    'NJCSJ',
    'ZTZE',
    'SPLCBM',
    'SPLCBBH',
    'SJYXBS',
  ],
  [ITEM_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'SPSXBM', 'SPSXSLBM', 'SPBMBM', 'SPBMMC', 'SXBLSX', 'SJYXBS'],
  [HANDLING_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'SPSXSLBM', 'BLCS', 'BLZT', 'BLSJ', 'SJYXBS'],
  [REPLY_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'SPSXSLBM', 'PFRQ', 'PFWJBT', 'SJYXBS'],
  [PROCESS_TABLE]: ['DFSJZJ', 'XZQHDM', 'SPLCBM', 'SPLCMC', 'SPLCBBH', 'DYBZSPLCLX', 'SXRQ', 'SJYXBS'],
  [STAGE_TABLE]: ['DFSJZJ', 'XZQHDM', 'SPLCBM', 'SPLCBBH', 'SPJDMC', 'SPJDXH', 'SPJDSX', 'LCBSXLX', 'SJYXBS'],
  [STAGE_ITEM_TABLE]: ['DFSJZJ', 'XZQHDM', 'SPLCBM', 'SPLCBBH', 'SPJDXH', 'SPSXBM', 'SPSXBBH', 'SJYXBS'],
  [LAND_USE_PERMIT_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'YDGHXKZBH', 'YDDW', 'FZJG', 'FZRQ', 'SJYXBS'],
  [PLANNING_PERMIT_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'GCGHXKZBH', 'JSDW', 'FZJG', 'FZRQ', 'SJYXBS'],
  [DRAWING_REVIEW_TABLE]: ['DFSJZJ', 'XZQHDM', 'XMDM', 'GCDM', 'SCHGSBH', 'SCJG', 'SCTGSJ', 'SJYXBS'],
  [CONSTRUCTION_PERMIT_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'SGXKZBH', 'JSDW', 'FZJG', 'FZRQ', 'SJYXBS'],
  [COMPLETION_FILING_TABLE]: ['DFSJZJ', 'XZQHDM', 'GCDM', 'JGYSBABH', 'JSDW', 'BAJG', 'BARQ', 'SJYXBS'],
  [CONTROL_LINE_TABLE]: ['DFSJZJ', 'XZQHDM', 'KZXWJXH', 'KZXWJMC', 'KZXSYKSSJ', 'SJYXBS'],
  [PRELIMINARY_OPINION_TABLE]: ['DFSJZJ', 'XZQHDM', 'XMDM', 'QQYJSLBM', 'BLDWMC', 'FKSJ', 'QQYJ', 'SJYXBS'],
  [RED_LINE_TABLE]: ['DFSJZJ', 'XZQHDM', 'XMDM', 'JZWJXH', 'JZWJMC', 'SJYXBS'],
};

/** Date pairs that must be in order (earlier, later, rule, message). `130` is the national rule. */
const ORDERED_DATES: readonly [string, string, string, string, boolean][] = [
  ['NKGSJ', 'NJCSJ', '130', '拟开工时间应早于拟建成时间', true],
  ['JHKGRQ', 'JHJGRQ', 'R-JHRQ', '计划开工日期应早于计划竣工日期', true],
  ['KGRQ', 'JGRQ', 'R-SJRQ', '开工日期不得晚于竣工日期', false],
  ['SXRQ', 'TYRQ', 'R-TYRQ', '审批流程停用日期不得早于生效时间', false],
];

/** Small code lists from ../shared/reference/codes.tsv, by field. */
const CODE_LISTS: Readonly<Record<string, readonly number[]>> = {
  // GJBZSPLCLX 国家标准审批流程类型 1–10.
  DYBZSPLCLX: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  SPLCLX: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  // 审批阶段序号: the national stages 1–4 and 5 并行推进.
  SPJDXH: [1, 2, 3, 4, 5],
  // LCBSXLX 里程碑事项类型.
  LCBSXLX: [1, 2],
};

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;
const PROJECT_CODE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * The rules, each named: `130` is the national rule the issue quotes (拟开工时间 earlier than 拟建成时间);
 * the others are ours (named `R-…`): required fields, field types, code formats, code lists.
 */
export function validateRow(tableCode: string, row: SpglRow): RowProblem[] {
  const table = spglTable(tableCode);
  if (!table) return [{ rule: 'R-TABLE', field: '', message: `未知的交换表 ${tableCode}` }];
  const problems: RowProblem[] = [];
  const fields = new Map(table.fields.map((f) => [f.code, f]));
  for (const [code, value] of Object.entries(row)) {
    const field = fields.get(code);
    if (!field) {
      problems.push({ rule: 'R-FIELD', field: code, message: `字段 ${code} 不属于 ${table.name}` });
      continue;
    }
    if (value === null) continue;
    const typeOk =
      field.type === 'integer'
        ? Number.isInteger(value)
        : field.type === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : field.type === 'date'
            ? typeof value === 'string' && DATE.test(value)
            : typeof value === 'string';
    if (!typeOk)
      problems.push({
        rule: 'R-TYPE',
        field: code,
        message: `${field.name}(${code}) 应为 ${field.type}：${String(value)}`,
      });
  }
  for (const code of REQUIRED[tableCode] ?? []) {
    const v = row[code];
    if (v === null || v === undefined || v === '')
      problems.push({
        rule: 'R-REQUIRED',
        field: code,
        message: `${fields.get(code)?.name ?? code}(${code}) 必填`,
      });
  }
  if (typeof row.XZQHDM === 'string' && !/^\d{6}$/.test(row.XZQHDM))
    problems.push({ rule: 'R-XZQHDM', field: 'XZQHDM', message: `行政区划代码须为 6 位数字：${row.XZQHDM}` });
  for (const code of ['XMDM', 'GCDM'] as const) {
    const v = row[code];
    if (typeof v === 'string' && !PROJECT_CODE.test(v))
      problems.push({
        rule: 'R-XMDM',
        field: code,
        message: `项目代码格式应为 年份-行政区划-行业-类型-流水号：${v}`,
      });
  }
  for (const code of [
    'JSDWDM',
    'DWTYSHXYDM',
    'YDTYSHXYDM',
    'JSTYSHXYDM',
    'FZJGTYSHXYDM',
    'SCJGTYSHXYDM',
    'BAJGXYDM',
  ] as const) {
    const v = row[code];
    if (typeof v === 'string' && !CREDIT_CODE.test(v))
      problems.push({ rule: 'R-USCC', field: code, message: `统一社会信用代码格式不正确：${v}` });
  }
  for (const [a, b, rule, message, strict] of ORDERED_DATES) {
    const x = row[a];
    const y = row[b];
    if (typeof x === 'string' && typeof y === 'string' && (strict ? x >= y : x > y))
      problems.push({ rule, field: a, message: `${message}：${x} / ${y}` });
  }
  for (const [code, allowed] of Object.entries(CODE_LISTS)) {
    const v = row[code];
    if (typeof v === 'number' && !allowed.includes(v))
      problems.push({
        rule: `R-${code}`,
        field: code,
        message: `${fields.get(code)?.name ?? code} ${v} 不在代码表 ${allowed.join('/')} 中`,
      });
  }
  if (typeof row.ZTZE === 'number' && row.ZTZE < 0)
    problems.push({ rule: 'R-ZTZE', field: 'ZTZE', message: '总投资额不能为负' });
  if (
    row.BLZT !== undefined &&
    row.BLZT !== null &&
    !(Number.isInteger(row.BLZT) && (row.BLZT as number) >= 1 && (row.BLZT as number) <= 15)
  )
    problems.push({
      rule: 'R-BLZT',
      field: 'BLZT',
      message: `办理状态 ${String(row.BLZT)} 不在代码表 1–15 中`,
    });
  for (const code of ['SJYXBS', 'TDSFDSJFA', 'SFWCQYPG', 'XMSFWQBJ', 'SFYRFLHSC', 'SFYXFLHSC'] as const) {
    const v = row[code];
    if (v !== undefined && v !== null && v !== 0 && v !== 1)
      problems.push({ rule: 'R-FLAG', field: code, message: `${code} 只能为 0 或 1` });
  }
  if (typeof row.SLFS === 'number' && (row.SLFS < 1 || row.SLFS > 5))
    problems.push({ rule: 'R-SLFS', field: 'SLFS', message: `受理方式 ${row.SLFS} 不在代码表 1–5 中` });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Checksums and retries.

/** A row's values in the table's field order, typed as the field says: what both sides checksum. */
export function canonicalRow(table: SpglTable, row: Record<string, unknown>): SpglRow {
  const out: SpglRow = {};
  for (const f of table.fields) {
    if (BOOKKEEPING_FIELDS.has(f.code)) continue;
    const v = row[f.code] ?? row[f.code.toLowerCase()];
    if (v === null || v === undefined) out[f.code] = null;
    else if (f.type === 'integer' || f.type === 'number') out[f.code] = Number(v);
    else out[f.code] = String(v);
  }
  return out;
}

export function rowChecksum(table: SpglTable, row: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalRow(table, row)))
    .digest('hex');
}

/** Checksum of a whole table: the rows' checksums in key order (order-independent of upload order). */
export function tableChecksum(rows: readonly { dfsjzj: string; checksum: string }[]): string {
  const h = createHash('sha256');
  for (const r of [...rows].sort((a, b) => (a.dfsjzj < b.dfsjzj ? -1 : a.dfsjzj > b.dfsjzj ? 1 : 0)))
    h.update(`${r.dfsjzj}:${r.checksum}\n`);
  return h.digest('hex');
}

/** Wait before retry n (1-based): 1, 2, 4 … minutes, capped at an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(60, 2 ** Math.max(0, attempt - 1)) * 60_000;
}

/** After this many failed uploads of a row (≈ a day with the backoff above) it is a dead letter. */
export const MAX_ATTEMPTS = 30;
