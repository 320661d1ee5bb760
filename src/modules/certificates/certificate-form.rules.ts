/**
 * The national form of each certificate type (issue 16 item 4): the fields its 式样 prints, which
 * stage-form key collects each, and which SPGL licence-table field carries it to the province. One list
 * serves the stage form (projects' guide merges these fields into the items that issue the certificate),
 * the certificate (printed and verified in this order, under these labels) and the exchange (licence.rules
 * fills the SPGL row from it). Labels are the SPGL field names where the table has the field
 * (../shared/reference/exchange-fields.tsv), else the certificate 式样's own wording.
 */
import type { CertificateType } from './certificate.rules';

export interface NationalField {
  /** The stage-form key that collects it (shared with the catalog's form dictionary where it has one). */
  key: string;
  label: string;
  type: 'string' | 'number' | 'date';
  unit?: string;
  required: boolean;
  /** The SPGL licence-table field code, when the table has one. */
  spgl?: string;
}

const field = (
  key: string,
  label: string,
  spgl?: string,
  options: { type?: NationalField['type']; unit?: string; required?: boolean } = {},
): NationalField => ({
  key,
  label,
  type: options.type ?? 'string',
  ...(options.unit ? { unit: options.unit } : {}),
  required: options.required ?? true,
  ...(spgl ? { spgl } : {}),
});
const area = (key: string, label: string, spgl: string, required = false) =>
  field(key, label, spgl, { type: 'number', unit: '平方米', required });
const optional = { required: false };

export const nationalForms: Readonly<Partial<Record<CertificateType, readonly NationalField[]>>> = {
  // 建筑工程施工许可证 (住房城乡建设部令第 18 号 式样) ↔ SPGL_JZGCSGXKXXB_V3.
  construction_permit: [
    field('applicantName', '建设单位', 'JSDW'),
    field('projectName', '工程名称', 'GCMC'),
    field('constructionSite', '建设地址', 'JSDZ'),
    field('constructionScale', '建设规模', 'JSGM'),
    field('contractPrice', '合同价格', 'HTJG', { type: 'number', unit: '万元' }),
    field('surveyFirmName', '勘察单位'),
    field('surveyFirmLead', '勘察单位项目负责人'),
    field('designFirmName', '设计单位'),
    field('designFirmLead', '设计单位项目负责人'),
    field('contractorName', '施工单位'),
    field('contractorLead', '施工单位项目负责人'),
    field('supervisorName', '监理单位', undefined, optional),
    field('chiefSupervisor', '总监理工程师', undefined, optional),
    field('contractPeriodDays', '合同工期', undefined, { type: 'number', unit: '日历天' }),
    field('builderProjectLead', '建设单位项目负责人', 'JSDWXMFZR'),
    field('plannedStartDate', '计划开工日期', 'JHKGRQ', { type: 'date' }),
    field('plannedCompletionDate', '计划竣工日期', 'JHJGRQ', { type: 'date' }),
    area('buildingArea', '总建筑面积', 'ZJZMJ', true),
    area('aboveGroundArea', '其中，地上建筑面积', 'DSJZMJ'),
    area('undergroundArea', '其中，地下建筑面积', 'DXJZMJ'),
    area('civilAirDefenceArea', '其中，人防面积', 'RFMJ'),
  ],
  // 建设用地规划许可证 (自然资源部 2019 式样) ↔ SPGL_JSYDGHXKXXB_V3.
  land_use_planning_permit: [
    field('applicantName', '用地单位', 'YDDW'),
    field('projectName', '项目名称', 'XMMC'),
    field('approvedLandAuthority', '批准用地机关', 'PZYDJG', optional),
    field('approvedLandNumber', '批准用地文号', 'PZYDWH', optional),
    field('constructionSite', '用地位置', 'YDWZ'),
    area('landArea', '用地面积', 'YDMJ', true),
    field('landUseType', '土地用途', 'TDYT'),
    field('constructionScale', '建设规模', 'JSGM'),
    field('landAcquisitionMethod', '土地取得方式', 'TDHQFS'),
    field('attachmentNames', '附图及附件名称', 'FJMC', optional),
  ],
  // 建设工程规划许可证 (自然资源部 2019 式样) ↔ SPGL_JSGCGHXKXXB_V3.
  construction_planning_permit: [
    field('applicantName', '建设单位', 'JSDW'),
    field('projectName', '建设项目名称', 'XMMC'),
    field('constructionSite', '建设位置', 'JSWZ'),
    field('constructionScale', '建设规模', 'JSGM'),
    field('builderProjectLead', '建设单位项目负责人', 'JSDWXMFZR', optional),
    field('attachmentNames', '附图及附件名称', 'FTJFJMC', optional),
  ],
  // 竣工验收备案 ↔ SPGL_JSGCJGYSBAXXB_V3.
  completion_filing: [
    field('applicantName', '建设单位', 'JSDW'),
    field('projectName', '工程名称', 'GCMC'),
    field('constructionSite', '建设地址', 'JSDZ'),
    field('constructionScale', '建设规模', 'JSGM'),
    field('actualStartDate', '开工日期', 'KGRQ', { type: 'date' }),
    field('completionDate', '竣工日期', 'JGRQ', { type: 'date' }),
    field('actualCost', '实际造价', 'SJZJ', { type: 'number', unit: '万元' }),
    area('buildingArea', '总建筑面积', 'ZJZMJ', true),
    area('aboveGroundArea', '其中，地上建筑面积', 'DSJZMJ'),
    area('undergroundArea', '其中，地下建筑面积', 'DXJZMJ'),
    area('civilAirDefenceArea', '其中，人防面积', 'RFMJ'),
    field('filingScope', '备案范围', 'BAFW'),
    field('builderProjectLead', '建设单位项目负责人', 'JSDWXMFZR', optional),
    field('builderOpinion', '建设单位意见', 'JSDWYJ', optional),
  ],
};

/** The national form of a certificate type; empty for types without one (e.g. 施工图审查合格书). */
export function nationalFormFields(certificateType: string | null | undefined): readonly NationalField[] {
  if (!certificateType) return [];
  return nationalForms[certificateType as CertificateType] ?? [];
}

type Scalar = string | number | boolean;

/** What the certificate keeps of a stage form: the national fields the form answered, by key. */
export function nationalValues(
  certificateType: string,
  form: Readonly<Record<string, unknown>>,
): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const f of nationalFormFields(certificateType)) {
    const v = form[f.key];
    if (typeof v === 'string' && v.trim() !== '') out[f.key] = v.trim();
    else if (typeof v === 'number' && Number.isFinite(v)) out[f.key] = v;
  }
  return out;
}

/** A number as people write it with its unit: 12,000 万元, 3,500.5 平方米. */
export function withUnit(value: unknown, unit?: string): string {
  const n = typeof value === 'number' ? value : NaN;
  const text = Number.isFinite(n) ? n.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : String(value);
  return unit ? `${text} ${unit}` : text;
}

/** The printed rows of a certificate's national fields, in the form's order (unanswered ones left out). */
export function nationalRows(
  certificateType: string,
  details: Readonly<Record<string, unknown>>,
): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const f of nationalFormFields(certificateType)) {
    const v = details[f.key];
    if (v === undefined || v === null || v === '') continue;
    rows.push([f.label, withUnit(v, f.unit)]);
  }
  return rows;
}

/** The SPGL licence-row values the national fields give (field code → value). */
export function nationalSpglValues(
  certificateType: string,
  details: Readonly<Record<string, unknown>>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const f of nationalFormFields(certificateType)) {
    const v = details[f.key];
    if (f.spgl && (typeof v === 'string' || typeof v === 'number')) out[f.spgl] = v;
  }
  return out;
}
