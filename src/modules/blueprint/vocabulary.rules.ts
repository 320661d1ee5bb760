/**
 * The planning bureau's own words (issue 18): layer kinds and regional-assessment types as the city's
 * files write them — 环境影响评价, 环评, 区域评估 — mapped to the codes the system stores. Pure.
 * An unknown value is a 400 that lists every accepted name, so the uploader can correct the file.
 */
import { DomainError } from '../../shared/errors';
import type { RegionalAssessment } from '../catalog/catalog.schemas';

export const layerKinds = [
  'ecological_redline',
  'basic_farmland',
  'urban_boundary',
  'regional_assessment',
  'land_use_plan',
  'urban_plan',
  'district_boundary',
] as const;
export type LayerKind = (typeof layerKinds)[number];

export const layerKindNames: Record<LayerKind, string> = {
  ecological_redline: '生态保护红线',
  basic_farmland: '永久基本农田',
  urban_boundary: '城镇开发边界',
  regional_assessment: '区域评估单元',
  land_use_plan: '土地利用规划',
  urban_plan: '城乡规划',
  district_boundary: '行政区界',
};

/** The name a person reads for a layer kind (an unknown kind is shown as it came). */
export function layerKindName(kind: string): string {
  return (layerKindNames as Record<string, string>)[kind] ?? kind;
}

/** The official name of an assessment type (an unknown one is shown as it came). */
export function assessmentName(code: string): string {
  return (assessmentNames as Record<string, readonly string[]>)[code]?.[0] ?? code;
}

/** The official name first (shown in messages), then the usual variants found in bureau files. */
export const assessmentNames: Record<RegionalAssessment, readonly string[]> = {
  environmental_impact: ['环境影响评价', '环评', '环境影响评估', '规划环境影响评价', '规划环评', '环境评价'],
  seismic_safety: ['地震安全性评价', '地震安评', '地震安全评价', '地震安全性评估', '地震评价', '震评'],
  mineral_overlay: [
    '压覆重要矿产资源评估',
    '压覆矿产资源评估',
    '压覆重要矿产资源评价',
    '压覆矿产评估',
    '压覆矿产资源',
    '压覆矿',
    '压矿评估',
  ],
  energy_saving: ['节能评价', '节能评估', '节能审查', '能评', '能源评价'],
  geological_hazard: ['地质灾害危险性评估', '地质灾害评估', '地灾评估', '地质灾害危险性评价', '地灾'],
  water_resources: ['水资源论证', '水资源评价', '水资源论证评估', '水评', '水资源'],
  cultural_relics: ['文物勘探', '考古勘探', '文物考古勘探', '文物保护评估', '文物评估', '考古调查勘探'],
};

const kindVariants: Record<LayerKind, readonly string[]> = {
  ecological_redline: ['生态红线', '生态保护红线区', '生态控制线'],
  basic_farmland: ['基本农田', '永久基本农田保护区', '基本农田保护区', '永久基本农田保护红线'],
  urban_boundary: ['城镇开发边界线', '城市开发边界', '开发边界'],
  regional_assessment: ['区域评估', '区域评估单元', '区域评估成果', '区域评估范围'],
  land_use_plan: ['土地利用总体规划', '土地规划', '土规'],
  urban_plan: ['城市规划', '控制性详细规划', '控规', '城乡规划图'],
  district_boundary: ['行政区划', '行政边界', '行政区划界线', '行政区域界线', '区界'],
};

/** Every name a kind is known by: the official Chinese name, the variants, and the code itself. */
export const layerKindAliases: Record<LayerKind, readonly string[]> = Object.fromEntries(
  layerKinds.map((k) => [k, [layerKindNames[k], ...kindVariants[k]]]),
) as unknown as Record<LayerKind, readonly string[]>;

/**
 * Folds what varies between files without changing meaning: full-width letters and digits, spaces,
 * case, '-' for '_', a trailing 报告/报告书/成果, and a leading 区域 on assessment names (区域环评 = 环评).
 */
export function normaliseTerm(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/-/g, '_')
    .replace(/(报告书|报告表|报告|成果)$/u, '');
}

function buildIndex<C extends string>(names: Record<C, readonly string[]>, stripRegion: boolean) {
  const index = new Map<string, C>();
  for (const [code, list] of Object.entries(names) as [C, readonly string[]][]) {
    index.set(normaliseTerm(code), code);
    for (const n of list) {
      index.set(normaliseTerm(n), code);
      if (stripRegion) index.set(normaliseTerm(`区域${n}`), code);
    }
  }
  return index;
}

const assessmentIndex = buildIndex(assessmentNames, true);
const kindIndex = buildIndex(layerKindAliases, false);

/** The accepted names for a message: 环境影响评价 (环评 / …, environmental_impact); …. */
function acceptedList<C extends string>(names: Record<C, readonly string[]>) {
  return (Object.entries(names) as [C, readonly string[]][])
    .map(([code, [official, ...rest]]) => `${official} (${[...rest, code].join(' / ')})`)
    .join('；');
}

export function assessmentCode(raw: string): RegionalAssessment | null {
  return assessmentIndex.get(normaliseTerm(raw)) ?? null;
}

export function layerKindCode(raw: string): LayerKind | null {
  return kindIndex.get(normaliseTerm(raw)) ?? null;
}

/** A layer kind in any accepted spelling; unknown → 400 listing the accepted names. */
export function parseLayerKind(raw: string, field = 'body.kind'): LayerKind {
  const code = layerKindCode(raw);
  if (code) return code;
  throw new DomainError(
    'VALIDATION_FAILED',
    `未知的图层类型「${raw}」，可选：${acceptedList(layerKindAliases)} (unknown layer kind)`,
    { field, details: { accepted: layerKindAliases } },
  );
}

/** Separators between names when a file (a DBF has no arrays) lists several in one text field. */
const LIST_SEPARATORS = /[、，,；;|/\s]+/u;

/**
 * The assessment types of a 区域评估单元: an array of names or codes, or one text listing several
 * ("环评、地震安评"). Duplicates fold; an unknown name is a 400 listing the accepted ones.
 */
export function parseAssessments(raw: unknown, field: string): RegionalAssessment[] {
  const items: unknown[] =
    typeof raw === 'string'
      ? raw.split(LIST_SEPARATORS).filter((s) => s.trim() !== '')
      : Array.isArray(raw)
        ? raw
        : [];
  if (items.length === 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `区域评估单元必须列出已完成的评估类型 assessments，可选：${acceptedList(assessmentNames)} (assessments missing)`,
      { field, details: { accepted: assessmentNames } },
    );
  }
  const codes = items.map((item, i) => {
    const code = typeof item === 'string' ? assessmentCode(item) : null;
    if (code) return code;
    throw new DomainError(
      'VALIDATION_FAILED',
      `未知的评估类型「${String(item)}」，可选：${acceptedList(assessmentNames)} (unknown assessment type)`,
      { field: Array.isArray(raw) ? `${field}.${i}` : field, details: { accepted: assessmentNames } },
    );
  });
  return [...new Set(codes)];
}
