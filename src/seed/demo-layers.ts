/**
 * Demo planning layers (tasks 51–53): a generated, clearly labelled SYNTHETIC set around Zhengzhou
 * (113.4–113.9 E, 34.6–34.9 N) — not real control lines. Deterministic (seeded PRNG), so the same
 * install always shows the same map. The box 113.60–113.65 E, 34.70–34.76 N is kept free of every
 * layer except the urban boundary, which contains it: README examples and tests use it as a known
 * clear zone. Never in production (the caller decides).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { ParsedFeature, LayerKind } from '../modules/blueprint/blueprint.rules';
import { storeLayer } from '../modules/blueprint/layer.service';
import { mulberry32 } from '../shared/random';

export const DEMO_PREFIX = '示例数据（合成）';
/** The known-clear zone (inside the urban boundary, nothing else). */
export const CLEAR_ZONE = { minLon: 113.6, minLat: 34.7, maxLon: 113.65, maxLat: 34.76 } as const;
/** One red-line strip at a fixed place, for browser tests and README examples. */
export const DEMO_REDLINE_EXAMPLE = {
  name: '示例红线 贾鲁河带',
  minLon: 113.66,
  minLat: 34.7,
  maxLon: 113.67,
  maxLat: 34.76,
} as const;
const URBAN = { minLon: 113.55, minLat: 34.68, maxLon: 113.75, maxLat: 34.82 } as const;

type Box = { minLon: number; minLat: number; maxLon: number; maxLat: number };

const r6 = (n: number) => Math.round(n * 1e6) / 1e6;
function polygon(b: Box): string {
  const [x1, y1, x2, y2] = [r6(b.minLon), r6(b.minLat), r6(b.maxLon), r6(b.maxLat)];
  return JSON.stringify({
    type: 'Polygon',
    coordinates: [
      [
        [x1, y1],
        [x2, y1],
        [x2, y2],
        [x1, y2],
        [x1, y1],
      ],
    ],
  });
}
const overlapsBox = (a: Box, b: Box, margin = 0) =>
  a.minLon < b.maxLon + margin &&
  a.maxLon > b.minLon - margin &&
  a.minLat < b.maxLat + margin &&
  a.maxLat > b.minLat - margin;

function feature(no: number, box: Box, props: Partial<ParsedFeature> & { name: string }): ParsedFeature {
  return {
    no,
    name: props.name,
    landUse: props.landUse ?? null,
    unitCode: props.unitCode ?? null,
    assessments: props.assessments ?? [],
    properties: { name: props.name, synthetic: true, ...(props.landUse ? { landUse: props.landUse } : {}) },
    geometry: polygon(box),
  };
}

function redLines(rand: () => number): ParsedFeature[] {
  const out = [feature(1, DEMO_REDLINE_EXAMPLE, { name: DEMO_REDLINE_EXAMPLE.name })];
  while (out.length < 40) {
    const vertical = rand() < 0.5;
    const len = 0.04 + rand() * 0.12;
    const width = 0.002 + rand() * 0.003;
    const x = 113.4 + rand() * (0.5 - (vertical ? width : len));
    const y = 34.6 + rand() * (0.3 - (vertical ? len : width));
    const box = {
      minLon: x,
      minLat: y,
      maxLon: x + (vertical ? width : len),
      maxLat: y + (vertical ? len : width),
    };
    if (overlapsBox(box, CLEAR_ZONE, 0.003)) continue;
    out.push(feature(out.length + 1, box, { name: `示例红线 生态廊道${out.length}` }));
  }
  return out;
}

function farmland(rand: () => number): ParsedFeature[] {
  const out: ParsedFeature[] = [];
  const step = 0.005;
  for (let i = 0; i < 100; i++) {
    for (let j = 0; j < 60; j++) {
      const box = {
        minLon: 113.4 + i * step,
        minLat: 34.6 + j * step,
        maxLon: 113.4 + i * step + 0.0045,
        maxLat: 34.6 + j * step + 0.0045,
      };
      if (overlapsBox(box, URBAN) || rand() > 0.4) continue;
      out.push(feature(out.length + 1, box, { name: `示例基本农田 图斑${out.length + 1}` }));
    }
  }
  return out;
}

const ALL_ASSESSMENTS = [
  'environmental_impact',
  'seismic_safety',
  'mineral_overlay',
  'energy_saving',
  'geological_hazard',
  'water_resources',
  'cultural_relics',
] as const;

function assessmentUnits(rand: () => number): ParsedFeature[] {
  const out: ParsedFeature[] = [];
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 3; j++) {
      const box = {
        minLon: 113.4 + i * 0.1 + 0.005,
        minLat: 34.6 + j * 0.1 + 0.005,
        maxLon: 113.4 + (i + 1) * 0.1 - 0.005,
        maxLat: 34.6 + (j + 1) * 0.1 - 0.005,
      };
      if (overlapsBox(box, CLEAR_ZONE) || rand() < 0.3) continue;
      const assessments = ALL_ASSESSMENTS.filter(() => rand() < 0.6);
      if (assessments.length === 0) assessments.push('environmental_impact');
      const unitCode = `QYPG-410100-${String(out.length + 1).padStart(3, '0')}`;
      out.push(feature(out.length + 1, box, { name: `示例区域评估单元 ${unitCode}`, unitCode, assessments }));
    }
  }
  return out;
}

const LAND_USES = ['R1', 'R2', 'A1', 'B1', 'M1', 'W1', 'S1', 'G1', 'E1'];

function plans(rand: () => number): [ParsedFeature[], ParsedFeature[]] {
  const a: ParsedFeature[] = [];
  const b: ParsedFeature[] = [];
  const step = 0.01;
  for (let i = 0; i < 40; i++) {
    for (let j = 0; j < 26; j++) {
      const box = {
        minLon: 113.45 + i * step,
        minLat: 34.62 + j * step,
        maxLon: 113.45 + (i + 1) * step,
        maxLat: 34.62 + (j + 1) * step,
      };
      const ua = LAND_USES[Math.floor(rand() * LAND_USES.length)]!;
      const differs = rand() < 0.15;
      const ub = differs
        ? LAND_USES[(LAND_USES.indexOf(ua) + 1 + Math.floor(rand() * 3)) % LAND_USES.length]!
        : ua;
      if (overlapsBox(box, CLEAR_ZONE)) continue;
      a.push(feature(a.length + 1, box, { name: `甲 ${i}-${j}`, landUse: ua }));
      b.push(feature(b.length + 1, box, { name: `乙 ${i}-${j}`, landUse: ub }));
    }
  }
  return [a, b];
}

function* batches(features: ParsedFeature[], size = 500) {
  for (let i = 0; i < features.length; i += size) yield features.slice(i, i + size);
}

/** Loads the synthetic layers once (skips when they exist). Returns what it did and how long it took. */
export async function seedDemoLayers(db: Kysely<DB>, now: Date = new Date()) {
  const started = Date.now();
  const existing = await db
    .selectFrom('blueprintLayer')
    .select('id')
    .where('name', 'like', `${DEMO_PREFIX}%`)
    .limit(1)
    .execute();
  if (existing.length > 0) return { layers: 0, features: 0, ms: Date.now() - started };
  const rand = mulberry32(20190518);
  const [planA, planB] = plans(rand);
  const sets: [string, LayerKind, ParsedFeature[]][] = [
    ['城镇开发边界', 'urban_boundary', [feature(1, URBAN, { name: '示例城镇开发边界 中心城区' })]],
    ['生态保护红线', 'ecological_redline', redLines(rand)],
    ['永久基本农田', 'basic_farmland', farmland(rand)],
    ['区域评估单元', 'regional_assessment', assessmentUnits(rand)],
    ['城乡规划 甲（总体规划）', 'urban_plan', planA],
    ['城乡规划 乙（控制性详细规划）', 'urban_plan', planB],
  ];
  let features = 0;
  for (const [name, kind, list] of sets) {
    await storeLayer(db, null, now, { name: `${DEMO_PREFIX}${name}`, kind, batches: batches(list) });
    features += list.length;
  }
  return { layers: sets.length, features, ms: Date.now() - started };
}
