/**
 * Zhengzhou's county-level divisions (GB/T 2260 行政区划代码) every installation starts with, and the
 * functional zones the city configures. An administrator edits the list afterwards (PUT/POST
 * /api/districts); the seed only adds codes that are missing.
 */
export interface DistrictSeed {
  code: string;
  name: string;
  kind: 'county' | 'functional_zone';
}

export const zhengzhouCounties: DistrictSeed[] = [
  { code: '410102', name: '中原区', kind: 'county' },
  { code: '410103', name: '二七区', kind: 'county' },
  { code: '410104', name: '管城回族区', kind: 'county' },
  { code: '410105', name: '金水区', kind: 'county' },
  { code: '410106', name: '上街区', kind: 'county' },
  { code: '410108', name: '惠济区', kind: 'county' },
  { code: '410122', name: '中牟县', kind: 'county' },
  { code: '410181', name: '巩义市', kind: 'county' },
  { code: '410182', name: '荥阳市', kind: 'county' },
  { code: '410183', name: '新密市', kind: 'county' },
  { code: '410184', name: '新郑市', kind: 'county' },
  { code: '410185', name: '登封市', kind: 'county' },
];

/**
 * Functional zones (功能区) carry codes of their own in the 统计用区划代码 (4101 7x). These three are
 * configurable examples: the city checks them against its own list and adds others (e.g. 郑东新区,
 * which has no statistical code of its own) through the administrator's API.
 */
export const zhengzhouFunctionalZones: DistrictSeed[] = [
  { code: '410171', name: '郑州经济技术开发区', kind: 'functional_zone' },
  { code: '410172', name: '郑州高新技术产业开发区', kind: 'functional_zone' },
  { code: '410173', name: '郑州航空港经济综合实验区', kind: 'functional_zone' },
];

export const zhengzhouDistricts: DistrictSeed[] = [...zhengzhouCounties, ...zhengzhouFunctionalZones];
