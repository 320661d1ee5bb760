/**
 * 电子证照 rules, pure: certificate types and their 证照类型代码, the e-licence identifier with its
 * ISO 7064 MOD 37,36 check character, the canonical content that is signed, and validity.
 * Identifier pattern (GB/T 36904 as used by public implementations, reliability doc E-01):
 *   1.2.156.3005.2.<证照类型代码>.<颁发机构代码>.<流水号>.<3 位版本号>.<校验位>
 */
import { canonicalJson } from '../audit/audit.rules';
import { compareDates } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { nationalFormFields, nationalRows } from './certificate-form.rules';

export const IDENTIFIER_ROOT = '1.2.156.3005.2';
/** The validity date that means "no expiry" (长期有效). */
export const NO_EXPIRY = '9999-01-01';
/** Bump when the signed content layout changes; old certificates keep verifying under their format. */
export const CONTENT_FORMAT = 'zz-ecert/1';

// 证照定义机构 codes (统一社会信用代码). MOHURD's is stated in the reliability doc (E-01); MNR's is the
// one public 不动产 e-licence code uses (…MB03271699001 不动产权证书, …022 不动产登记证明).
const MOHURD = '11100000000013338W';
const MNR = '11100000MB03271699';

export const certificateTypeCodes = [
  'land_use_planning_permit',
  'construction_planning_permit',
  'construction_permit',
  'completion_filing',
  'land_approval',
  'site_selection',
  'drawing_review',
] as const;
export type CertificateType = (typeof certificateTypeCodes)[number];

export interface CertificateTypeInfo {
  name: string;
  /** Heading line above the name on the printed certificate ('' = none). */
  heading: string;
  /** 证照类型代码 = definer's credit code + 3 digits. */
  typeCode: string;
  /** Where the code comes from; "provisional" codes must be replaced by the 证照目录 codes before go-live. */
  source: string;
}

const PROVISIONAL =
  'provisional: definer code is real, the 3-digit suffix is ours (9xx) until the national 证照目录 code is confirmed';

export const certificateTypes: Record<CertificateType, CertificateTypeInfo> = {
  land_use_planning_permit: {
    name: '建设用地规划许可证',
    heading: '中华人民共和国',
    typeCode: `${MNR}901`,
    source: PROVISIONAL,
  },
  construction_planning_permit: {
    name: '建设工程规划许可证',
    heading: '中华人民共和国',
    typeCode: `${MNR}902`,
    source: PROVISIONAL,
  },
  construction_permit: {
    name: '建筑工程施工许可证',
    heading: '中华人民共和国',
    typeCode: `${MOHURD}901`,
    source: PROVISIONAL,
  },
  completion_filing: {
    name: '竣工验收备案证明',
    heading: '房屋建筑和市政基础设施工程',
    typeCode: `${MOHURD}087`,
    source:
      'seen in public provincial 竣工验收备案 e-licence payloads (…13338W087…); confirm with the 证照目录',
  },
  land_approval: {
    name: '建设用地批准书',
    heading: '中华人民共和国',
    typeCode: `${MNR}903`,
    source: PROVISIONAL,
  },
  site_selection: {
    name: '建设项目用地预审与选址意见书',
    heading: '中华人民共和国',
    typeCode: `${MNR}904`,
    source: PROVISIONAL,
  },
  // 联合审图 (tasks 28–29): one certificate listing every section; fire and 人防 design review rest on it.
  drawing_review: {
    name: '施工图审查合格书',
    heading: '房屋建筑和市政基础设施工程',
    typeCode: `${MOHURD}902`,
    source: PROVISIONAL,
  },
};

export function isCertificateType(value: string): value is CertificateType {
  return (certificateTypeCodes as readonly string[]).includes(value);
}

const MOD_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO 7064 MOD 37,36 (hybrid system, M = 36): the check character for an alphanumeric string. */
export function mod3736CheckChar(input: string): string {
  const M = 36;
  let p = M;
  for (const ch of input.toUpperCase()) {
    const v = MOD_ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`not alphanumeric: ${ch}`);
    p = (p + v) % M;
    if (p === 0) p = M;
    p = (p * 2) % (M + 1);
  }
  return MOD_ALPHABET[(M + 1 - p) % M]!;
}

export interface IdentifierParts {
  typeCode: string;
  issuerCode: string;
  serial: string;
  /** 1–999, printed with 3 digits. */
  version: number;
}

const PART = /^[0-9A-Z]{1,40}$/;

/** Builds the identifier; the check covers typeCode+issuerCode+serial+version (dots and root excluded). */
export function buildIdentifier(p: IdentifierParts): string {
  for (const [name, value] of Object.entries({
    typeCode: p.typeCode,
    issuerCode: p.issuerCode,
    serial: p.serial,
  })) {
    if (!PART.test(value)) throw new RangeError(`${name} must be 1–40 of 0-9A-Z: ${value}`);
  }
  if (!Number.isInteger(p.version) || p.version < 1 || p.version > 999)
    throw new RangeError(`version 1–999: ${p.version}`);
  const version = String(p.version).padStart(3, '0');
  const check = mod3736CheckChar(`${p.typeCode}${p.issuerCode}${p.serial}${version}`);
  return `${IDENTIFIER_ROOT}.${p.typeCode}.${p.issuerCode}.${p.serial}.${version}.${check}`;
}

/** Parses and checks an identifier; null when malformed or the check character is wrong. */
export function parseIdentifier(identifier: string): IdentifierParts | null {
  if (!identifier.startsWith(`${IDENTIFIER_ROOT}.`)) return null;
  const parts = identifier.slice(IDENTIFIER_ROOT.length + 1).split('.');
  if (parts.length !== 5) return null;
  const [typeCode, issuerCode, serial, version, check] = parts as [string, string, string, string, string];
  if (
    ![typeCode, issuerCode, serial].every((x) => PART.test(x)) ||
    !/^\d{3}$/.test(version) ||
    version === '000'
  )
    return null;
  if (!/^[0-9A-Z]$/.test(check) || mod3736CheckChar(`${typeCode}${issuerCode}${serial}${version}`) !== check)
    return null;
  return { typeCode, issuerCode, serial, version: Number(version) };
}

/** 颁发机构代码: the organisation's 18-char credit code when known, else 410100 (郑州市) + department code. */
export function issuerCodeFor(departmentCode: string, organisationCode?: string | null): string {
  if (organisationCode && /^[0-9A-Z]{18}$/.test(organisationCode)) return organisationCode;
  return `410100${departmentCode.toUpperCase().replace(/[^0-9A-Z]/g, '')}`;
}

/** 流水号: Beijing year + 7-digit sequence value, e.g. 20260000042. */
export function serialFor(beijingYear: number, sequenceValue: number): string {
  return `${beijingYear}${String(sequenceValue).padStart(7, '0')}`;
}

/**
 * The canonical form of everything shown on the certificate: sorted-key JSON, so the stored jsonb
 * (which reorders keys) canonicalises to the same bytes that were signed.
 */
export function canonicalContent(content: Record<string, unknown>): string {
  return canonicalJson(content);
}

/** The exact bytes signed with SM2 (UTF-8 of the canonical content). */
export function signatureMessage(content: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(canonicalContent(content));
}

/** A JSON round trip: what the jsonb column will give back, so signing and verifying see the same value. */
export function normaliseContent(content: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalContent(content)) as Record<string, unknown>;
}

/** Columns that must equal their copy inside the signed content (an SQL edit of either is detected). */
export interface CertificateColumns {
  id: string;
  identifier: string;
  type: string;
  title: string;
  holderName: string;
  holderCode: string;
  issuedAt: Date;
  validUntil: string;
  simulated: boolean;
  projectId: string;
  taskId: string;
}

/** Names of columns that disagree with the signed content (empty = consistent). */
export function columnMismatches(row: CertificateColumns, content: Record<string, unknown>): string[] {
  const holder = (content.holder ?? {}) as Record<string, unknown>;
  const expected: Record<string, unknown> = {
    id: content.id,
    identifier: content.identifier,
    type: content.type,
    title: content.title,
    holderName: holder.name,
    holderCode: holder.code,
    issuedAt: content.issuedAt,
    validUntil: content.validUntil,
    simulated: content.simulated,
    projectId: content.projectId,
    taskId: content.taskId,
  };
  const actual: Record<string, unknown> = { ...row, issuedAt: row.issuedAt.toISOString() };
  return Object.keys(expected).filter((k) => expected[k] !== actual[k]);
}

/** Valid through validUntil inclusive (Beijing dates); 9999-01-01 never expires. */
export function isExpired(validUntil: string, todayBeijing: string): boolean {
  return validUntil !== NO_EXPIRY && compareDates(validUntil, todayBeijing) < 0;
}

export function validityText(validUntil: string): string {
  return validUntil === NO_EXPIRY ? '长期有效' : validUntil;
}

// 郑州市 administrative divisions (GB/T 2260) printed as 建设位置/区划 when only a code is known.
const districtNames: Record<string, string> = {
  '410100': '郑州市',
  '410102': '郑州市中原区',
  '410103': '郑州市二七区',
  '410104': '郑州市管城回族区',
  '410105': '郑州市金水区',
  '410106': '郑州市上街区',
  '410108': '郑州市惠济区',
  '410122': '中牟县',
  '410181': '巩义市',
  '410182': '荥阳市',
  '410183': '新密市',
  '410184': '新郑市',
  '410185': '登封市',
};

/** Labels of the known `details` keys, in print order; other scalar keys follow under their own name. */
const detailLabels: Array<[string, string]> = [
  ['projectCode', '项目代码'],
  ['projectName', '项目名称'],
  ['itemName', '审批事项'],
  ['location', '建设位置'],
  ['district', '行政区划'],
  ['siteAreaM2', '用地面积'],
  ['buildingAreaM2', '建筑面积'],
  ['constructionScale', '建设规模'],
  ['landUse', '用地性质'],
  ['totalInvestment', '总投资（万元）'],
];

function formatArea(v: unknown): string {
  const n = Number(v);
  return Number.isFinite(n) ? `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 平方米` : String(v);
}

/**
 * The label/value rows a certificate prints for its project details: the national form's fields of its
 * type first (certificate-form.rules, in the form's order and wording), then the project's other facts.
 */
export function detailRows(details: Record<string, unknown>, type?: string): Array<[string, string]> {
  const d: Record<string, unknown> = { ...details };
  const national = type ? nationalRows(type, d) : [];
  // 工程名称 and the like are national fields: printed once, under the form's own wording.
  if (national.length > 0) for (const f of nationalFormFields(type)) delete d[f.key];
  if (d.district === undefined && typeof d.districtCode === 'string') {
    d.district = `${districtNames[d.districtCode] ?? ''} ${d.districtCode}`.trim();
  }
  delete d.districtCode;
  const rows: Array<[string, string]> = [];
  const code = d.projectCode;
  delete d.projectCode;
  if (typeof code === 'string' && code !== '') rows.push(['项目代码', code]);
  rows.push(...national);
  for (const [key, label] of detailLabels) {
    const v = d[key];
    delete d[key];
    if (v === undefined || v === null || v === '') continue;
    rows.push([label, key.endsWith('AreaM2') ? formatArea(v) : String(v)]);
  }
  for (const [key, v] of Object.entries(d).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (['string', 'number', 'boolean'].includes(typeof v)) rows.push([key, String(v)]);
  }
  return rows;
}

/** How much of a project's certificates an actor sees: all, only its department's, or none. */
export function certificateReach(actor: Actor, projectEnterpriseId: string): 'all' | 'department' | 'none' {
  switch (actor.role) {
    case 'applicant':
      return actor.enterpriseId === projectEnterpriseId ? 'all' : 'none';
    case 'agent':
    case 'window':
    case 'supervisor':
    case 'admin':
      return 'all';
    default:
      return actor.departmentCode ? 'department' : 'none';
  }
}
