import { describe, expect, it } from 'vitest';
import { rankDistricts } from '../stats/stats.service';
import { CITY_LEVEL, handlingLevel, routeItem } from './jurisdiction.rules';

describe('事权 level and routing', () => {
  it('decides the level: city, district, or by total investment at the threshold', () => {
    expect(handlingLevel(CITY_LEVEL, { totalInvestment: 1 })).toBe('city');
    expect(handlingLevel({ level: 'district', cityFromInvestment: null }, { totalInvestment: 1e9 })).toBe(
      'district',
    );
    const rule = { level: 'investment' as const, cityFromInvestment: 50000 };
    expect(handlingLevel(rule, { totalInvestment: 49999.99 })).toBe('district');
    expect(handlingLevel(rule, { totalInvestment: 50000 })).toBe('city');
  });

  it("routes to the district's department of the line, the city where the district has none", () => {
    const lines = new Map([['zrzy', 'zmzrzy']]);
    expect(routeItem('zrzy', 'district', lines)).toEqual({
      departmentCode: 'zmzrzy',
      level: 'district',
      cityStandsIn: false,
    });
    expect(routeItem('zrzy', 'city', lines).departmentCode).toBe('zrzy');
    expect(routeItem('cjj', 'district', lines)).toEqual({
      departmentCode: 'cjj',
      level: 'city',
      cityStandsIn: true,
    });
  });
});

describe('district ranking', () => {
  it('ranks by on-time rate, then fewer overdue, then shorter average; ties share a rank; none completed last', () => {
    const ranked = rankDistricts([
      { key: 'a', onTimeRate: 0.9, overdue: 2, avgDays: 10 },
      { key: 'b', onTimeRate: null, overdue: 0, avgDays: null },
      { key: 'c', onTimeRate: 0.9, overdue: 1, avgDays: 12 },
      { key: 'd', onTimeRate: 1, overdue: 0, avgDays: 20 },
      { key: 'e', onTimeRate: 0.9, overdue: 1, avgDays: 12 },
    ]);
    expect(ranked.map((r) => [r.key, r.rank])).toEqual([
      ['d', 1],
      ['c', 2],
      ['e', 2],
      ['a', 4],
      ['b', 5],
    ]);
  });
});
