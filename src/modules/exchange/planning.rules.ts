/**
 * The 多规合一 tables: 地方规划控制线 (SPGL_DFGHKZXXXB) from the blueprint's control-line layers (三条控制线),
 * 项目前期意见 (SPGL_XMQQYJXXB) from the departments' 策划生成 opinions once the planned project became a
 * registered project (the table is keyed by 项目代码), and 项目用地红线界址 (SPGL_XMYDHXJZXXB) from the
 * project's site.
 */
import { CITY_XZQHDM, type SpglRow } from './exchange.rules';

/** Layer kinds that are 规划控制线 (生态保护红线, 永久基本农田, 城镇开发边界). */
export const CONTROL_LINE_KINDS = new Set(['ecological_redline', 'basic_farmland', 'urban_boundary']);

export interface ControlLineFacts {
  layerId: string;
  name: string;
  kindName: string;
  version: number;
  featureCount: number;
  uploadedOn: string;
  current: boolean;
}

export function controlLineRow(l: ControlLineFacts): SpglRow {
  return {
    DFSJZJ: l.layerId,
    XZQHDM: CITY_XZQHDM,
    KZXWJXH: l.version,
    KZXWJMC: l.name,
    KZXSYKSSJ: l.uploadedOn,
    KZXWJSM: `${l.kindName}，第 ${l.version} 版，${l.featureCount} 个图斑`,
    // A superseded version stays in the province marked invalid, with the reason.
    SJYXBS: l.current ? 1 : 0,
    SJWXYY: l.current ? null : '已被新版本替代',
  };
}

export interface OpinionFacts {
  plannedProjectId: string;
  projectCode: string;
  departmentCode: string;
  departmentName: string;
  answeredAt: string;
  answeredBy: string | null;
  opinion: string;
  conditions: readonly string[];
}

export function preliminaryOpinionRow(o: OpinionFacts): SpglRow {
  return {
    DFSJZJ: `${o.plannedProjectId}.${o.departmentCode}`,
    XZQHDM: CITY_XZQHDM,
    XMDM: o.projectCode,
    QQYJSLBM: `${o.plannedProjectId}.${o.departmentCode}`,
    BLDWDM: o.departmentCode,
    BLDWMC: o.departmentName,
    FKSJ: o.answeredAt,
    BLR: o.answeredBy,
    QQYJ: o.conditions.length > 0 ? `${o.opinion}（条件：${o.conditions.join('；')}）` : o.opinion,
    SJYXBS: 1,
    SJWXYY: null,
  };
}

export interface RedLineFacts {
  projectId: string;
  projectCode: string;
  siteAreaM2: number;
  /** Outer ring vertices of the site (WGS 84 degrees), first polygon. */
  vertices: number;
  bbox: readonly [number, number, number, number] | null;
}

export function redLineRow(r: RedLineFacts): SpglRow {
  const box = r.bbox ? `，范围 ${r.bbox.map((v) => v.toFixed(6)).join(',')}` : '';
  return {
    DFSJZJ: `${r.projectId}.hx`,
    XZQHDM: CITY_XZQHDM,
    XMDM: r.projectCode,
    JZWJXH: 1,
    JZWJMC: `${r.projectCode} 项目用地红线`,
    JZWJSM: `用地面积 ${r.siteAreaM2} 平方米，界址点 ${r.vertices} 个${box}（WGS 84）`,
    SJYXBS: 1,
    SJWXYY: null,
  };
}

/** The vertex count and bounding box of a GeoJSON (Multi)Polygon's first outer ring. */
export function ringSummary(geoJson: string | null): Pick<RedLineFacts, 'vertices' | 'bbox'> {
  if (!geoJson) return { vertices: 0, bbox: null };
  const g = JSON.parse(geoJson) as { type: string; coordinates: unknown };
  const ring = (
    g.type === 'MultiPolygon'
      ? (g.coordinates as number[][][][])[0]?.[0]
      : g.type === 'Polygon'
        ? (g.coordinates as number[][][])[0]
        : undefined
  ) as number[][] | undefined;
  if (!ring || ring.length === 0) return { vertices: 0, bbox: null };
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  // A closed ring repeats its first point.
  const closed = ring.length > 1 && xs[0] === xs.at(-1) && ys[0] === ys.at(-1);
  return {
    vertices: closed ? ring.length - 1 : ring.length,
    bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

/** 项目经纬度坐标 "lng,lat" (6 decimals): the centre of the site's bounding box. */
export function siteCentre(geoJson: string | null): string | null {
  const { bbox } = ringSummary(geoJson);
  if (!bbox) return null;
  return `${((bbox[0] + bbox[2]) / 2).toFixed(6)},${((bbox[1] + bbox[3]) / 2).toFixed(6)}`;
}
