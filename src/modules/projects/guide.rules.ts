/**
 * 一份办事指南、一张申请表单、一套申报材料 (task 58): the items of a stage are merged into one form and one
 * de-duplicated material set; materials the project already has on file are marked, never asked twice.
 * Pure functions over the catalog's item shapes.
 */

export interface GuideFormField {
  key: string;
  label: string;
  type: string;
  required?: boolean;
  options?: readonly string[];
}

export interface GuideMaterial {
  code: string;
  name: string;
  required: boolean;
  deficiencyAllowed: boolean;
}

export interface GuideItem {
  code: string;
  formFields: readonly GuideFormField[];
  materials: readonly GuideMaterial[];
}

export interface JsonSchemaProperty {
  title: string;
  type: string;
  format?: string;
  enum?: string[];
}

export interface MergedForm {
  $schema: 'https://json-schema.org/draft/2020-12/schema';
  type: 'object';
  properties: Record<string, JsonSchemaProperty>;
  required: string[];
}

/** A catalog field type as JSON Schema: dates are strings with format date. */
export function fieldSchema(field: GuideFormField): JsonSchemaProperty {
  const base = { title: field.label };
  switch (field.type) {
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'number':
    case 'integer':
    case 'boolean':
      return { ...base, type: field.type };
    case 'select':
    case 'enum':
      return field.options?.length
        ? { ...base, type: 'string', enum: [...field.options] }
        : { ...base, type: 'string' };
    default:
      return { ...base, type: 'string' };
  }
}

/**
 * One JSON Schema (draft 2020-12) for the whole stage: a key asked by several items appears once
 * (the first item's label and type win); it is required when any item requires it.
 */
export function mergeForm(items: readonly GuideItem[]): MergedForm {
  const properties: Record<string, JsonSchemaProperty> = {};
  const required: string[] = [];
  for (const item of items) {
    for (const field of item.formFields) {
      properties[field.key] ??= fieldSchema(field);
      if (field.required && !required.includes(field.key)) required.push(field.key);
    }
  }
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties, required };
}

export interface MergedMaterial {
  code: string;
  name: string;
  /** Any item of the stage requires it. */
  required: boolean;
  /** 容缺 only when every item that lists it allows it to be missing. */
  deficiencyAllowed: boolean;
  /** The project already has this material (project_material): never asked again. */
  onFile: boolean;
  fileId: string | null;
  /** The items that use it. */
  items: string[];
}

/** One material set for the stage, de-duplicated by material code, in first-seen order. */
export function mergeMaterials(
  items: readonly GuideItem[],
  onFile: ReadonlyMap<string, string>,
): MergedMaterial[] {
  const byCode = new Map<string, MergedMaterial>();
  for (const item of items) {
    for (const m of item.materials) {
      const seen = byCode.get(m.code);
      if (seen) {
        seen.required ||= m.required;
        seen.deficiencyAllowed &&= m.deficiencyAllowed;
        if (!seen.items.includes(item.code)) seen.items.push(item.code);
        continue;
      }
      const fileId = onFile.get(m.code) ?? null;
      byCode.set(m.code, {
        code: m.code,
        name: m.name,
        required: m.required,
        deficiencyAllowed: m.deficiencyAllowed,
        onFile: fileId !== null,
        fileId,
        items: [item.code],
      });
    }
  }
  return [...byCode.values()];
}

/** Whether a regional assessment (区域评估) already covers what this item would assess (task 44). */
export function coveredByRegionalAssessment(
  item: { regionalAssessment: string | null },
  covered: readonly string[],
): boolean {
  return item.regionalAssessment !== null && covered.includes(item.regionalAssessment);
}
