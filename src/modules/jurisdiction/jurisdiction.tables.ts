import type { ColumnType } from 'kysely';

export type JurisdictionLevel = 'city' | 'district' | 'investment';

/** 事权 of an item: which level handles it (no row: city). */
export interface ItemJurisdictionTable {
  itemCode: string;
  level: JurisdictionLevel;
  /** 万元; only for level 'investment' (numeric: read as a string on PostgreSQL, parsed by the repository). */
  cityFromInvestment: ColumnType<string | number | null, number | null, number | null>;
  note: string | null;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface JurisdictionTables {
  itemJurisdiction: ItemJurisdictionTable;
}
