import { describe, expect, it } from 'vitest';
import { monthRange, percentile, previousMonth } from './supervision.rules';

describe('supervision rules', () => {
  it('computes month ranges, the previous month and percentiles', () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousMonth('2026-01-05')).toBe('2025-12');
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
  });
});
