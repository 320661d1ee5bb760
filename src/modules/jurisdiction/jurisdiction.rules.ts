/**
 * 事权 (issue 15, task 39 "纵向到底"): which level handles an item for a project, and which department
 * that is. Pure.
 */
import type { JurisdictionLevel } from './jurisdiction.tables';

export interface ItemJurisdiction {
  level: JurisdictionLevel;
  /** 万元: at or above it the city handles the item (level 'investment'). */
  cityFromInvestment: number | null;
}

/** No rule: the city handles it (how every install starts). */
export const CITY_LEVEL: ItemJurisdiction = { level: 'city', cityFromInvestment: null };

export type HandlingLevel = 'city' | 'district';

/** The level that handles an item for a project of this total investment (万元). */
export function handlingLevel(rule: ItemJurisdiction, project: { totalInvestment: number }): HandlingLevel {
  switch (rule.level) {
    case 'city':
      return 'city';
    case 'district':
      return 'district';
    case 'investment':
      return project.totalInvestment >= (rule.cityFromInvestment ?? 0) ? 'city' : 'district';
  }
}

export interface Routed {
  departmentCode: string;
  level: HandlingLevel;
  /** District level wanted, but the district has no department of the line: the city handles it. */
  cityStandsIn: boolean;
}

/**
 * The department that handles an item: the city department of its line, or the district's department
 * of that line (`districtLines`: city department code → the district's department code).
 */
export function routeItem(
  cityDepartmentCode: string,
  level: HandlingLevel,
  districtLines: ReadonlyMap<string, string>,
): Routed {
  if (level === 'city') return { departmentCode: cityDepartmentCode, level, cityStandsIn: false };
  const local = districtLines.get(cityDepartmentCode);
  return local
    ? { departmentCode: local, level, cityStandsIn: false }
    : { departmentCode: cityDepartmentCode, level: 'city', cityStandsIn: true };
}

export const levelNames: Record<JurisdictionLevel, string> = {
  city: '市级',
  district: '区县级',
  investment: '按投资规模',
};
