/**
 * 一份办事指南、一张申请表单、一套申报材料 (task 58): the items of a stage are merged into one form and one
 * de-duplicated material set; materials the project already has on file are marked, never asked twice.
 * "On file" covers what the applicant uploaded before and what this system itself issued (电子证照 and
 * other 批准文件: task 58 forbids asking for them again); a result an item of the same stage produces is no
 * upload at all; form fields the project already answers are prefilled.
 * Pure functions over the catalog's item shapes.
 */
import { nationalFormFields } from '../certificates/certificate-form.rules';

export interface GuideFormField {
  key: string;
  label: string;
  type: string;
  required?: boolean;
  options?: readonly string[];
  /** Unit shown with a numeric field (万元, 平方米). */
  unit?: string;
}

/** One material a stage needs: what submission and acceptance check, and what the guide lists. */
export interface MaterialNeed {
  code: string;
  name: string;
  required: boolean;
  /** 容缺: may be missing at acceptance against a due date. */
  deficiencyAllowed: boolean;
}

export type GuideMaterial = MaterialNeed;

export interface GuideItem {
  code: string;
  formFields: readonly GuideFormField[];
  materials: readonly GuideMaterial[];
  /** The certificate the item issues: its national form's fields are asked too (see itemFormFields). */
  certificateType?: string | null;
}

/**
 * What an item's form asks: the catalog's fields, then the fields of the national form of the certificate
 * it issues (施工许可证: 勘察/设计/施工/监理单位, 合同价格 …) that the catalog does not already ask. The one
 * list the guide shows and submission checks, so a certificate never lacks a field its form prints.
 */
export function itemFormFields(item: Pick<GuideItem, 'formFields' | 'certificateType'>): GuideFormField[] {
  const fields = [...item.formFields];
  for (const f of nationalFormFields(item.certificateType)) {
    if (fields.some((x) => x.key === f.key)) continue;
    fields.push({
      key: f.key,
      label: f.label,
      type: f.type,
      required: f.required,
      ...(f.unit ? { unit: f.unit } : {}),
    });
  }
  return fields;
}

export interface JsonSchemaProperty {
  title: string;
  type: string;
  format?: string;
  enum?: string[];
  unit?: string;
  /** The project already answers this field (see formPrefill). */
  default?: FactValue;
  readOnly?: boolean;
}

export interface MergedForm {
  $schema: 'https://json-schema.org/draft/2020-12/schema';
  type: 'object';
  properties: Record<string, JsonSchemaProperty>;
  required: string[];
}

/** A catalog field type as JSON Schema: dates are strings with format date. */
export function fieldSchema(field: GuideFormField): JsonSchemaProperty {
  const base = field.unit ? { title: field.label, unit: field.unit } : { title: field.label };
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
    for (const field of itemFormFields(item)) {
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

// ---------------------------------------------------------------------------------------------
// What the system itself produced (task 58: 批准文件 are not asked for again).

/** The catalog fields these rules read about an item's result. */
export interface ResultItem {
  code: string;
  resultDocumentType: string;
  certificateType: string | null;
  materials: readonly MaterialNeed[];
}

/**
 * Results whose document the catalog names collectively, so no material carries the result's own name.
 * Every other result is found by name (see resultMaterial). Keep to documents that really stand in for the
 * material: the city's 审批清单 says which document an item accepts.
 */
export const RESULT_MATERIALS: Readonly<Record<string, string>> = {
  // 立项: 项目审批、核准或备案文件 is whichever of these the project went through.
  'ZZ-FGW-002': 'M_PROJECT_APPROVAL_DOC', // 可行性研究报告批复 (政府投资项目的审批文件)
  'ZZ-FGW-004': 'M_PROJECT_APPROVAL_DOC', // 核准批复
  'ZZ-FGW-005': 'M_PROJECT_APPROVAL_DOC', // 备案证明
  // 任务30: the 承诺免审告知书 takes the place of the 施工图审查合格书 for 施工许可.
  'ZZ-STSC-002': 'M_DRAWING_REVIEW_CERT',
  // 建设用地批准书 is one of the 其他土地权属证明 the 规划许可 and 施工许可 accept.
  'ZZ-ZRZY-004': 'M_LAND_CERTIFICATE',
  // 联合测绘成果报告 is the 竣工联合测绘成果报告 the 竣工验收 items ask for.
  'ZZ-LHCH-001': 'M_JOINT_SURVEY_REPORT',
};

/** Material code by material name over the whole catalog (the catalog keeps one name per code). */
export function materialCodesByName(items: Iterable<ResultItem>): Map<string, string> {
  const byName = new Map<string, string>();
  for (const item of items)
    for (const m of item.materials) if (!byName.has(m.name)) byName.set(m.name, m.code);
  return byName;
}

/** The material an item's result document is, or null when no item asks for it. */
export function resultMaterial(
  item: Pick<ResultItem, 'code' | 'resultDocumentType'>,
  byName: ReadonlyMap<string, string>,
): string | null {
  return RESULT_MATERIALS[item.code] ?? byName.get(item.resultDocumentType) ?? null;
}

/** Certificate type → the material it stands for (建设用地规划许可证 → M_LAND_USE_PLANNING_PERMIT, …). */
export function certificateMaterials(
  items: Iterable<ResultItem>,
  byName: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    if (!item.certificateType || out.has(item.certificateType)) continue;
    const code = resultMaterial(item, byName);
    if (code) out.set(item.certificateType, code);
  }
  return out;
}

export interface ProducedMaterial {
  code: string;
  name: string;
  /** The items of the stage whose result it is. */
  producedBy: string[];
  /** The items of the stage that would have asked for it. */
  usedBy: string[];
}

/**
 * The stage's one material set without what the stage produces itself: a result of an item of the same
 * stage (e.g. 施工图审查合格书 in 施工许可) comes from that item, the applicant never uploads it.
 */
export function stageMaterialSet(
  items: readonly (GuideItem & ResultItem)[],
  byName: ReadonlyMap<string, string>,
): { needs: MergedMaterial[]; producedInStage: ProducedMaterial[] } {
  const producers = new Map<string, string[]>();
  for (const item of items) {
    const code = resultMaterial(item, byName);
    if (code) producers.set(code, [...(producers.get(code) ?? []), item.code]);
  }
  const merged = mergeMaterials(items, new Map());
  const producedInStage = merged
    .filter((m) => producers.has(m.code))
    .map((m) => ({ code: m.code, name: m.name, producedBy: producers.get(m.code)!, usedBy: m.items }));
  return { needs: merged.filter((m) => !producers.has(m.code)), producedInStage };
}

/** A material the project has on file, and where it comes from. */
export type MaterialOnFile =
  | { source: 'upload'; fileId: string; since: string }
  | {
      source: 'certificate';
      certificateId: string;
      identifier: string;
      title: string;
      simulated: boolean;
      since: string;
    }
  | {
      source: 'result';
      taskId: string;
      itemCode: string;
      documentNumber: string | null;
      simulated: boolean;
      since: string;
    };

export interface CertificateInForce {
  id: string;
  identifier: string;
  type: string;
  title: string;
  issuedAt: Date;
  simulated: boolean;
}

export interface ApprovedResult {
  taskId: string;
  itemCode: string;
  documentNumber: string | null;
  decidedAt: Date | null;
  simulated: boolean;
}

/**
 * Everything the project has on file, by material code. The system's own documents come first: a
 * certificate in force (the caller passes only those: not revoked, not expired), then the result of an
 * approved item that issues no certificate (a certificate-issuing item counts only through its certificate,
 * so a revoked certificate is not brought back by its task), then the applicant's uploads.
 */
export function materialsOnFile(input: {
  uploads: readonly { materialCode: string; fileId: string; submittedAt: Date }[];
  certificates: readonly CertificateInForce[];
  results: readonly ApprovedResult[];
  catalog: ReadonlyMap<string, ResultItem>;
  byName: ReadonlyMap<string, string>;
}): Map<string, MaterialOnFile> {
  const out = new Map<string, MaterialOnFile>();
  const byType = certificateMaterials(input.catalog.values(), input.byName);
  for (const c of input.certificates) {
    const code = byType.get(c.type);
    if (!code || out.has(code)) continue;
    out.set(code, {
      source: 'certificate',
      certificateId: c.id,
      identifier: c.identifier,
      title: c.title,
      simulated: c.simulated,
      since: c.issuedAt.toISOString(),
    });
  }
  for (const r of input.results) {
    const item = input.catalog.get(r.itemCode);
    if (!item || item.certificateType) continue;
    const code = resultMaterial(item, input.byName);
    if (!code || out.has(code)) continue;
    out.set(code, {
      source: 'result',
      taskId: r.taskId,
      itemCode: r.itemCode,
      documentNumber: r.documentNumber,
      simulated: r.simulated,
      since: (r.decidedAt ?? new Date(0)).toISOString(),
    });
  }
  for (const u of input.uploads) {
    if (out.has(u.materialCode)) continue;
    out.set(u.materialCode, { source: 'upload', fileId: u.fileId, since: u.submittedAt.toISOString() });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The form asks only what is new.

export type FactValue = string | number | boolean;

/** What the project registry says about the project. */
export interface ProjectFacts {
  name: string;
  code: string;
  enterpriseName: string;
  totalInvestment: number;
  siteAreaM2: number;
  plannedStart: string;
  plannedCompletion: string;
  attributes: Readonly<Record<string, unknown>>;
}

const LAND_ACQUISITION: Readonly<Record<string, string>> = {
  allocation: '划拨',
  transfer: '出让',
  transfer_with_design: '出让',
};

/**
 * Form keys the registry answers. These are facts of the registered project (the template's conditions
 * read some of them), so the form shows them read-only rather than letting a stage contradict them.
 * An attribute at its "not given" value (building area 0) answers nothing.
 */
export function registryAnswers(facts: ProjectFacts): Record<string, FactValue> {
  const out: Record<string, FactValue> = {
    projectName: facts.name,
    projectCode: facts.code,
    applicantName: facts.enterpriseName,
    totalInvestment: facts.totalInvestment,
    landArea: Math.round(facts.siteAreaM2 * 100) / 100,
    plannedStartDate: facts.plannedStart,
    plannedCompletionDate: facts.plannedCompletion,
  };
  const a = facts.attributes;
  if (typeof a.buildingArea === 'number' && a.buildingArea > 0) out.buildingArea = a.buildingArea;
  if (typeof a.designFirmGradeA === 'boolean') out.designFirmGradeA = a.designFirmGradeA;
  if (typeof a.specialConstruction === 'boolean') out.isSpecialConstruction = a.specialConstruction;
  // 土地取得方式 on the 建设用地规划许可证 is the registered 供地方式 (已有用地 says nothing about it).
  const method = LAND_ACQUISITION[String(a.landSupplyMethod)];
  if (method) out.landAcquisitionMethod = method;
  return out;
}

/** A stage-form value that contradicts the registered project: which field, and why, in words. */
export interface RegistryContradiction {
  field: string;
  message: string;
  registered: FactValue;
  given: unknown;
}

/**
 * The stage form checked against the registry (issue 16 item 3): a field the registered project answers
 * must say what the registry says (amounts to the cent, areas to 0.01 m²). The form shows those fields
 * read-only; this is the server's side of that rule, so no other client can file a contradiction either.
 * Fields the form does not send are not contradictions (the registry supplies them).
 */
export function registryContradictions(
  fields: readonly { key: string; label: string; unit?: string }[],
  form: Readonly<Record<string, unknown>>,
  registry: Readonly<Record<string, FactValue>>,
): RegistryContradiction[] {
  const out: RegistryContradiction[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    const registered = registry[f.key];
    const given = form[f.key];
    if (registered === undefined || given === undefined || given === null || given === '') continue;
    const same =
      typeof registered === 'number'
        ? typeof given === 'number' && Math.abs(given - registered) < 0.005
        : typeof registered === 'string'
          ? typeof given === 'string' && given.trim() === registered.trim()
          : given === registered;
    if (same) continue;
    const unit = f.unit ? ` ${f.unit}` : '';
    out.push({
      field: f.key,
      registered,
      given,
      message: `“${f.label}”应与项目登记一致：登记为 ${factWords(registered)}${unit}，所填为 ${factWords(given)}${unit} (${f.key} contradicts the registered project)`,
    });
  }
  return out;
}

function factWords(v: unknown): string {
  if (v === true) return '是';
  if (v === false) return '否';
  return String(v);
}

function fits(p: JsonSchemaProperty, v: unknown): v is FactValue {
  if (p.type === 'number' || p.type === 'integer') return typeof v === 'number' && Number.isFinite(v);
  if (p.type === 'boolean') return typeof v === 'boolean';
  if (typeof v !== 'string' || v.trim() === '') return false;
  if (p.format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(v);
  return !p.enum || p.enum.includes(v);
}

export interface KnownField {
  key: string;
  /** project: the registry (read-only); application: what the applicant answered in an earlier application. */
  source: 'project' | 'application';
}

/**
 * Prefills the stage form from what the project already knows: the registry first (read-only), then the
 * newest earlier application that answered the key (editable: the applicant may update it). Returns the
 * form with those fields annotated (`default`, `readOnly`), the values, and which fields are known.
 */
export function formPrefill(
  form: MergedForm,
  registry: Readonly<Record<string, FactValue>>,
  earlierForms: readonly Readonly<Record<string, unknown>>[],
): { form: MergedForm; prefill: Record<string, FactValue>; known: KnownField[] } {
  const prefill: Record<string, FactValue> = {};
  const known: KnownField[] = [];
  const properties: Record<string, JsonSchemaProperty> = {};
  for (const [key, p] of Object.entries(form.properties)) {
    const fromRegistry = registry[key];
    if (fits(p, fromRegistry)) {
      prefill[key] = fromRegistry;
      known.push({ key, source: 'project' });
      properties[key] = { ...p, default: fromRegistry, readOnly: true };
      continue;
    }
    const earlier = earlierForms.map((f) => f[key]).find((v) => fits(p, v));
    if (earlier !== undefined && fits(p, earlier)) {
      prefill[key] = earlier;
      known.push({ key, source: 'application' });
      properties[key] = { ...p, default: earlier };
      continue;
    }
    properties[key] = p;
  }
  return { form: { ...form, properties }, prefill, known };
}

// ---------------------------------------------------------------------------------------------
// 谁审查、谁负责 (task 9): what an earlier task already reviewed is not reviewed again.

export interface TaskMaterial {
  taskId: string;
  itemCode: string;
  departmentCode: string;
  materialCode: string;
  fileId: string;
}

export interface TaskDecision {
  taskId: string;
  step: string;
  outcome: string;
  decidedAt: Date;
  round: number;
}

const STEP_ORDER: Readonly<Record<string, number>> = { initial: 0, final: 1 };

/**
 * A task's latest decision: the highest round (补正 starts a new one), within it 复核 after 初核. Not the
 * clock: decisions of one round may carry the same time.
 */
export function latestDecisions(decisions: readonly TaskDecision[]): Map<string, TaskDecision> {
  const later = (a: TaskDecision, b: TaskDecision) =>
    a.round - b.round ||
    (STEP_ORDER[a.step] ?? 0) - (STEP_ORDER[b.step] ?? 0) ||
    a.decidedAt.getTime() - b.decidedAt.getTime();
  const out = new Map<string, TaskDecision>();
  for (const d of decisions) {
    const seen = out.get(d.taskId);
    if (!seen || later(d, seen) > 0) out.set(d.taskId, d);
  }
  return out;
}

export interface MaterialReview {
  taskId: string;
  itemCode: string;
  itemName: string;
  departmentCode: string;
  departmentName: string;
  /** The file that was reviewed: a later upload of the same material was not. */
  fileId: string;
  /** The task's latest decision: initial/final step, approve/reject/return. */
  step: string;
  outcome: string;
  decidedAt: string;
}

/**
 * Per material code, the decided tasks that reviewed it, oldest first. A task reviewed a material when
 * its application carried it and its item asks for it (a department does not review another item's
 * papers); a task not yet decided has reviewed nothing. Step and outcome are the task's latest decision.
 */
export function materialReviews(
  materials: readonly TaskMaterial[],
  decisions: readonly TaskDecision[],
  items: ReadonlyMap<string, { name: string; materials: readonly { code: string }[] }>,
  departmentNames: ReadonlyMap<string, string>,
): Record<string, MaterialReview[]> {
  const latest = latestDecisions(decisions);
  const out: Record<string, MaterialReview[]> = {};
  for (const r of materials) {
    const item = items.get(r.itemCode);
    const decision = latest.get(r.taskId);
    if (!decision || !item || !item.materials.some((m) => m.code === r.materialCode)) continue;
    (out[r.materialCode] ??= []).push({
      taskId: r.taskId,
      itemCode: r.itemCode,
      itemName: item.name,
      departmentCode: r.departmentCode,
      departmentName: departmentNames.get(r.departmentCode) ?? r.departmentCode,
      fileId: r.fileId,
      step: decision.step,
      outcome: decision.outcome,
      decidedAt: decision.decidedAt.toISOString(),
    });
  }
  for (const list of Object.values(out)) list.sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  return out;
}
