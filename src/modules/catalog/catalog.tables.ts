import type { ColumnType, JSONColumnType } from 'kysely';
import type { FormField, Material } from './catalog.schemas';

export interface ItemVersionTable {
  code: string;
  version: number;
  name: string;
  stage: number;
  departmentCode: string;
  legalBasisLevel: string;
  legalBasis: string;
  legalTimeLimitDays: number;
  promisedTimeLimitDays: number;
  timeLimitConfirmed: boolean;
  commitmentAllowed: boolean;
  materials: JSONColumnType<Material[], string, string>;
  formFields: JSONColumnType<FormField[], string, string>;
  resultDocumentType: string;
  certificateType: string | null;
  regionalAssessment: string | null;
  status: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  createdBy: string | null;
}

export interface CatalogChangeTable {
  id: string;
  kind: string;
  itemCodes: string[];
  resultItemCode: string | null;
  basis: string;
  description: string;
  effectiveDate: string;
  createdAt: ColumnType<Date, Date | undefined, never>;
  createdBy: string | null;
}

export interface CatalogTables {
  itemVersion: ItemVersionTable;
  catalogChange: CatalogChangeTable;
}
