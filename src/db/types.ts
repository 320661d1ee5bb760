/**
 * Value parsing shared by both drivers, so PGlite and node-postgres hand the code the same shapes:
 * `date` stays a 'YYYY-MM-DD' string (a Beijing calendar date, never shifted by a time zone),
 * int8 and numeric become numbers (counts and 万元 amounts fit comfortably in a double).
 */
export const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

export const valueParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => Number(v),
  [OID.date]: (v) => v,
};
