import type { ColumnType, JSONColumnType } from 'kysely';
import type { TemplateDefinition } from './template.schemas';

export interface ProcessTemplateVersionTable {
  code: string;
  version: number;
  name: string;
  nationalProcessType: string;
  definition: JSONColumnType<TemplateDefinition, string, string>;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
  createdBy: string | null;
}

export interface TemplateTables {
  processTemplateVersion: ProcessTemplateVersionTable;
}
