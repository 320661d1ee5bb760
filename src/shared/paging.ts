/**
 * Lists that scale (issue 16 §6): one shape for every paged list — `page` + `pageSize` in the query,
 * `total` + `page` + `pageSize` next to the rows — and the total read in the same statement as the
 * page (`count(*) over()`), so a list is one round trip.
 */
import { z } from 'zod';

/** The most rows one page may hold; 50 when not asked. */
export const MAX_PAGE_SIZE = 200;

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

export const PageFields = {
  total: z.number().int().describe('符合条件的总数'),
  page: z.number().int(),
  pageSize: z.number().int(),
};

export const pageOffset = (p: { page: number; pageSize: number }) => (p.page - 1) * p.pageSize;

/**
 * Rows read with `count(*) over() as total`: the rows without that column, and the total. A page past
 * the end has no row to carry the count, so `countAll` is asked then (and only then).
 */
export async function withTotal<T extends { total: string | number | bigint }>(
  rows: readonly T[],
  offset: number,
  countAll: () => Promise<number>,
): Promise<{ rows: Omit<T, 'total'>[]; total: number }> {
  const total = rows.length > 0 ? Number(rows[0]!.total) : offset > 0 ? await countAll() : 0;
  return { rows: rows.map(({ total: _total, ...r }) => r), total };
}
