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

/**
 * Synthetic district boundaries (行政区界): axis-aligned boxes placed roughly where each division lies
 * relative to the others — NOT the real boundaries. The known-clear zone, the demo projects' sites and
 * the test factories' sites (113.60–113.65 E, 34.70–34.76 N) lie in 中原区. Functional zones overlap the
 * counties they sit in, as real ones do. A city loads its own boundaries (layer kind district_boundary,
 * each feature with adcode and name) and retires this layer.
 */
export const DEMO_DISTRICT_BOXES: { adcode: string; name: string; box: Box; hole?: Box }[] = [
  {
    adcode: '410102',
    name: '中原区',
    box: { minLon: 113.5, minLat: 34.695, maxLon: 113.655, maxLat: 34.86 },
  },
  {
    adcode: '410103',
    name: '二七区',
    box: { minLon: 113.5, minLat: 34.55, maxLon: 113.655, maxLat: 34.695 },
  },
  {
    adcode: '410104',
    name: '管城回族区',
    box: { minLon: 113.655, minLat: 34.6, maxLon: 113.76, maxLat: 34.76 },
  },
  {
    adcode: '410105',
    name: '金水区',
    box: { minLon: 113.655, minLat: 34.76, maxLon: 113.76, maxLat: 34.86 },
  },
  { adcode: '410106', name: '上街区', box: { minLon: 113.25, minLat: 34.77, maxLon: 113.33, maxLat: 34.84 } },
  { adcode: '410108', name: '惠济区', box: { minLon: 113.5, minLat: 34.86, maxLon: 113.76, maxLat: 34.95 } },
  { adcode: '410122', name: '中牟县', box: { minLon: 113.76, minLat: 34.55, maxLon: 114.2, maxLat: 34.95 } },
  { adcode: '410181', name: '巩义市', box: { minLon: 112.85, minLat: 34.55, maxLon: 113.2, maxLat: 34.95 } },
  {
    adcode: '410182',
    name: '荥阳市',
    box: { minLon: 113.2, minLat: 34.62, maxLon: 113.5, maxLat: 34.95 },
    // 上街区 is an enclave inside 荥阳市.
    hole: { minLon: 113.25, minLat: 34.77, maxLon: 113.33, maxLat: 34.84 },
  },
  { adcode: '410183', name: '新密市', box: { minLon: 113.2, minLat: 34.35, maxLon: 113.5, maxLat: 34.62 } },
  { adcode: '410184', name: '新郑市', box: { minLon: 113.5, minLat: 34.3, maxLon: 113.9, maxLat: 34.55 } },
  { adcode: '410185', name: '登封市', box: { minLon: 112.85, minLat: 34.3, maxLon: 113.2, maxLat: 34.55 } },
  {
    adcode: '410171',
    name: '郑州经济技术开发区',
    box: { minLon: 113.7, minLat: 34.68, maxLon: 113.8, maxLat: 34.74 },
  },
  {
    adcode: '410172',
    name: '郑州高新技术产业开发区',
    box: { minLon: 113.52, minLat: 34.8, maxLon: 113.6, maxLat: 34.86 },
  },
  {
    adcode: '410173',
    name: '郑州航空港经济综合实验区',
    box: { minLon: 113.72, minLat: 34.42, maxLon: 113.9, maxLat: 34.55 },
  },
];

function ring(b: Box): number[][] {
  const [x1, y1, x2, y2] = [r6(b.minLon), r6(b.minLat), r6(b.maxLon), r6(b.maxLat)];
  return [
    [x1, y1],
    [x2, y1],
    [x2, y2],
    [x1, y2],
    [x1, y1],
  ];
}

function districtBoundaries(): ParsedFeature[] {
  return DEMO_DISTRICT_BOXES.map((d, i) => {
    // Holes run the other way round (RFC 7946 §3.1.6).
    const rings = d.hole ? [ring(d.box), ring(d.hole).reverse()] : [ring(d.box)];
    const name = `${DEMO_PREFIX}${d.name}`;
    return {
      no: i + 1,
      name,
      landUse: null,
      unitCode: d.adcode,
      assessments: [],
      properties: { name, adcode: d.adcode, synthetic: true },
      geometry: JSON.stringify({ type: 'Polygon', coordinates: rings }),
    };
  });
}

function* batches(features: ParsedFeature[], size = 500) {
  for (let i = 0; i < features.length; i += size) yield features.slice(i, i + size);
}

/**
 * Loads each synthetic layer once (skips those that exist, so an older demo install gains the layers
 * added since). Returns what it did and how long it took.
 */
export async function seedDemoLayers(db: Kysely<DB>, now: Date = new Date()) {
  const started = Date.now();
  const existing = new Set(
    (
      await db
        .selectFrom('blueprintLayer')
        .select('name')
        .distinct()
        .where('name', 'like', `${DEMO_PREFIX}%`)
        .execute()
    ).map((l) => l.name),
  );
  const rand = mulberry32(20190518);
  const [planA, planB] = plans(rand);
  const sets: [string, LayerKind, ParsedFeature[]][] = [
    ['城镇开发边界', 'urban_boundary', [feature(1, URBAN, { name: '示例城镇开发边界 中心城区' })]],
    ['生态保护红线', 'ecological_redline', redLines(rand)],
    ['永久基本农田', 'basic_farmland', farmland(rand)],
    ['区域评估单元', 'regional_assessment', assessmentUnits(rand)],
    ['城乡规划 甲（总体规划）', 'urban_plan', planA],
    ['城乡规划 乙（控制性详细规划）', 'urban_plan', planB],
    ['行政区界', 'district_boundary', districtBoundaries()],
  ];
  let features = 0;
  let layers = 0;
  for (const [name, kind, list] of sets) {
    if (existing.has(`${DEMO_PREFIX}${name}`)) continue;
    await storeLayer(db, null, now, { name: `${DEMO_PREFIX}${name}`, kind, batches: batches(list) });
    features += list.length;
    layers += 1;
  }
  return { layers, features, ms: Date.now() - started };
}
