/**
 * Administrative documents (行政文书): what each kind is called, which 文号 series it is numbered in, and
 * how a number is written — the issuer's short name (机关代字), the series mark, the year in 〔〕 and the
 * yearly serial, e.g. 郑自然资规许〔2026〕12号. Pure rules; the serial itself comes from the repository.
 */
import { REMEDY_NOTICE } from '../approvals/lifecycle.rules';
import { canonicalJson } from '../audit/audit.rules';

export const documentKinds = [
  'acceptance',
  'correction',
  'refusal',
  'denial',
  'extension',
  'completion',
  'receipt',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** 文号 series: each kind of document, and the approval decisions (许) that carry a certificate. */
export type DocumentSeries = DocumentKind | 'approval';

export const documentTitles: Record<DocumentKind, string> = {
  acceptance: '受理通知书',
  correction: '补正材料告知书',
  refusal: '不予受理决定书',
  denial: '不予许可决定书',
  extension: '延长审批期限告知书',
  completion: '办结通知书',
  receipt: '收件回执',
};

const seriesMarks: Record<DocumentSeries, string> = {
  acceptance: '受',
  correction: '补',
  refusal: '不受',
  denial: '不许',
  extension: '延',
  completion: '结',
  receipt: '收',
  approval: '许',
};

/** The 综合窗口 (一窗受理) is run by the 政务服务 office: documents of the window are issued in its name. */
export const WINDOW_ISSUER = 'zwb';

/** 机关代字 of the city's departments, as their own 文号 write them. */
const shortNames: Record<string, string> = {
  fgw: '发改',
  zrzy: '自然资规',
  cjj: '建',
  zdxmb: '重点办',
  zwb: '政务',
  dsj: '数据',
  sfj: '司法',
  zfbgt: '政办',
  rfb: '人防',
  cgj: '城管',
  sthj: '环',
  slj: '水',
  wwj: '文物',
  qxj: '气',
  ylj: '园林',
  gaj: '公',
  jtj: '交',
  dzj: '震',
  cjda: '建档',
  stsc: '审图',
  lhch: '测绘',
  water: '供水',
  power: '供电',
  gas: '燃气',
  heat: '供热',
  drainage: '排水',
  telecom: '通信',
};

const SUFFIX = /(管理局|委员会|办公室|办公厅|局|委|办|馆|中心|机构|单位)$/;

/**
 * The issuer's prefix: 郑 + the department's 机关代字 for the city's departments; for a district's or a
 * county's own department (e.g. 中牟县自然资源局) the division's name without 县/区/市 + its 代字.
 */
export function issuerPrefix(department: { code: string; name: string }): string {
  const known = shortNames[department.code];
  if (known) return `郑${known}`;
  const name = department.name.replace(/^郑州/, '');
  const division = /^(.{2,4}?)(县|区|市)(?=.)/.exec(name);
  if (division && division[1] !== '') {
    const rest = name.slice(division[0].length).replace(SUFFIX, '');
    return `${division[1]}${rest.slice(0, 3)}`;
  }
  return `郑${name.replace(/^市/, '').replace(SUFFIX, '').slice(0, 3)}`;
}

/** 文号: prefix + series mark + 〔year〕 + serial + 号. */
export function documentNumber(prefix: string, series: DocumentSeries, year: number, serial: number): string {
  return `${prefix}${seriesMarks[series]}〔${year}〕${serial}号`;
}

/** The exact bytes signed with SM2: the canonical JSON of the content (sorted keys, as jsonb keeps it). */
export function documentSignatureMessage(content: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(canonicalJson(content));
}

/** What the flow hands over for each kind; names are resolved by the service where the flow has codes. */
export interface DocumentFacts {
  acceptance: {
    expectedCompletion: string;
    /** departmentName is filled in by the service from the department's code. */
    items: {
      name: string;
      departmentCode: string;
      departmentName?: string;
      deadline: string;
      viaCommitment: boolean;
    }[];
    deficiencies: { materialName: string; dueDate: string }[];
  };
  /** materialName is filled in by the service from materialCode. */
  correction: {
    itemName: string | null;
    items: { reason: string; materialCode?: string | null; materialName?: string | null }[];
    dueDate: string;
  };
  refusal: { reason: string };
  denial: { itemName: string; reason: string };
  extension: { itemName: string; extendedDays: number; newDeadline: string; reason: string };
  /** name is filled in by the service from itemCode. */
  completion: { items: { itemCode: string; name?: string; result: string; documentNumber: string | null }[] };
  /** 收件回执: what was received (names filled in by the service from materialCode), and by when the window decides. */
  receipt: {
    materials: { materialCode: string; materialName?: string }[];
    receivedAt: string;
    decisionBy: string;
  };
}

/** The signed content of a document: everything printed on it. */
export interface DocumentContent<K extends DocumentKind = DocumentKind> {
  format: typeof DOCUMENT_FORMAT;
  id: string;
  kind: K;
  title: string;
  number: string;
  issuer: { code: string; name: string };
  addressee: string;
  project: { code: string; name: string };
  stage: { number: number; name: string } | null;
  facts: DocumentFacts[K];
  issuedOn: string;
  issuedAt: string;
}

export const DOCUMENT_FORMAT = 'zz-document/1';

const beijingDay = (iso: string) =>
  iso.replace(
    /^(\d{4})-(\d{2})-(\d{2})$/,
    (_, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`,
  );

/** 《行政许可法》第三十二条: the window decides within 5 days whether to accept (counted in working days). */
export const RECEIPT_DECISION_WORKING_DAYS = 5;

/** An ISO instant as people write it in Beijing: 2026年3月2日 09:00. */
const beijingMinute = (iso: string) => {
  const local = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${beijingDay(local.slice(0, 10))} ${local.slice(11, 16)}`;
};

/** The paragraphs and the table printed on a document, from its content alone (so a reprint is identical). */
export function documentText(c: DocumentContent): {
  paragraphs: string[];
  table?: { head: string[]; rows: string[][] };
} {
  const project = `“${c.project.name}”（项目代码 ${c.project.code}）`;
  const stage = c.stage ? `${c.stage.name}阶段` : '';
  switch (c.kind) {
    case 'acceptance': {
      const f = c.facts as DocumentFacts['acceptance'];
      const paragraphs = [
        `你单位报送的${project}${stage}申请材料收悉。经审查，申请材料${f.deficiencies.length > 0 ? '主要材料齐全，实行容缺受理' : '齐全'}、符合法定形式，决定予以受理。`,
        `本阶段各审批事项并联办理，预计于${beijingDay(f.expectedCompletion)}前办结。各事项承办部门及办理期限见下表（以工作日计算）。`,
      ];
      if (f.deficiencies.length > 0) {
        paragraphs.push(
          `下列材料实行容缺受理，请在约定期限内补交：${f.deficiencies.map((d) => `${d.materialName}（${beijingDay(d.dueDate)}前）`).join('；')}。逾期未补交的，相关事项不予出具审批结果。`,
        );
      }
      return {
        paragraphs,
        table: {
          head: ['审批事项', '承办部门', '办理期限'],
          rows: f.items.map((i) => [
            i.name,
            i.departmentName ?? i.departmentCode,
            i.viaCommitment ? '告知承诺，当场办结' : `${beijingDay(i.deadline)}前`,
          ]),
        },
      };
    }
    case 'correction': {
      const f = c.facts as DocumentFacts['correction'];
      return {
        paragraphs: [
          `你单位报送的${project}${stage}${f.itemName ? `“${f.itemName}”事项` : ''}申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部内容（见下表），请于${beijingDay(f.dueDate)}前补正。`,
          '补正期间办理时限暂停计算，补正材料提交后恢复计算。逾期未补正的，可终止办理。',
        ],
        table: {
          head: ['序号', '需要补正的内容'],
          rows: f.items.map((i, n) => [
            String(n + 1),
            i.materialName ? `${i.materialName}：${i.reason}` : i.reason,
          ]),
        },
      };
    }
    case 'refusal': {
      const f = c.facts as DocumentFacts['refusal'];
      return {
        paragraphs: [
          `你单位报送的${project}${stage}申请，经审查，决定不予受理。`,
          `理由：${f.reason}`,
          `你单位可在具备条件后重新申请。${REMEDY_NOTICE}`,
        ],
      };
    }
    case 'denial': {
      const f = c.facts as DocumentFacts['denial'];
      return {
        paragraphs: [
          `你单位申请的${project}“${f.itemName}”事项，经审查，决定不予许可。`,
          `理由：${f.reason}`,
          REMEDY_NOTICE,
        ],
      };
    }
    case 'extension': {
      const f = c.facts as DocumentFacts['extension'];
      return {
        paragraphs: [
          `你单位申请的${project}“${f.itemName}”事项，因${f.reason}，在法定期限内不能作出决定。经本机关负责人批准，办理期限延长${f.extendedDays}个工作日，至${beijingDay(f.newDeadline)}。`,
        ],
      };
    }
    case 'receipt': {
      const f = c.facts as DocumentFacts['receipt'];
      return {
        paragraphs: [
          `你单位报送的${project}${stage}申请及下列材料，已于${beijingMinute(f.receivedAt)}（北京时间）收到。`,
          `根据《中华人民共和国行政许可法》第三十二条，本机关将于收到申请之日起${RECEIPT_DECISION_WORKING_DAYS}个工作日内（${beijingDay(f.decisionBy)}前）作出受理或者不予受理的决定；申请材料不齐全或者不符合法定形式的，将一次性告知需要补正的全部内容。逾期不告知的，自收到申请材料之日起即为受理。`,
          '本回执仅证明收到申请材料，不表示申请已被受理。',
        ],
        table: {
          head: ['序号', '收到的材料'],
          rows: f.materials.map((m, n) => [String(n + 1), m.materialName ?? m.materialCode]),
        },
      };
    }
    case 'completion': {
      const f = c.facts as DocumentFacts['completion'];
      return {
        paragraphs: [
          `你单位申请的${project}${stage}各审批事项已全部办结，办理结果见下表。电子证照可在本系统下载，并可扫码核验。`,
        ],
        table: {
          head: ['审批事项', '办理结果', '文号'],
          rows: f.items.map((i) => [i.name ?? i.itemCode, i.result, i.documentNumber ?? '—']),
        },
      };
    }
  }
}
