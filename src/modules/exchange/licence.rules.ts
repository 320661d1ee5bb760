/**
 * The licence-result tables (建设用地规划许可, 建设工程规划许可, 施工图审查, 施工许可, 竣工验收备案), one row
 * per certificate of the matching type (地方数据主键 = the certificate's id), from what the certificate and
 * its project say. Fields the system does not hold (e.g. 建设单位项目负责人 id numbers) stay empty.
 */
import { nationalSpglValues } from '../certificates/certificate-form.rules';
import { CITY_XZQHDM, type SpglRow } from './exchange.rules';
import {
  COMPLETION_FILING_TABLE,
  CONSTRUCTION_PERMIT_TABLE,
  DRAWING_REVIEW_TABLE,
  LAND_USE_PERMIT_TABLE,
  PLANNING_PERMIT_TABLE,
} from './spgl.tables.data';

/** Certificate type (certificates module) → its SPGL licence table. */
export const LICENCE_TABLE_OF: Readonly<Record<string, string>> = {
  land_use_planning_permit: LAND_USE_PERMIT_TABLE,
  construction_planning_permit: PLANNING_PERMIT_TABLE,
  drawing_review: DRAWING_REVIEW_TABLE,
  construction_permit: CONSTRUCTION_PERMIT_TABLE,
  completion_filing: COMPLETION_FILING_TABLE,
};

export interface LicenceFacts {
  /** The certificate (or, for a 施工图审查合格书 given as a reply document, the task) id. */
  id: string;
  taskId: string;
  type: string;
  /** 证照编号: the document number printed on it. */
  number: string;
  issuedOn: string;
  issuerName: string;
  issuerCreditCode: string | null;
  revoked: boolean;
  revokedReason: string | null;
  itemCode: string;
  itemVersion: number;
  project: {
    code: string;
    name: string;
    districtCode: string;
    siteAreaM2: number;
    buildingArea: number | null;
    plannedStart: string;
    plannedCompletion: string;
    totalInvestment: number;
    enterpriseName: string;
    enterpriseCreditCode: string | null;
    /** 项目经纬度坐标 "lng,lat" of the site's centre, when known. */
    centre: string | null;
  };
  /** The certificate's signed details: its national-form fields fill their SPGL columns. */
  details?: Readonly<Record<string, unknown>>;
  /** The project's earlier licences by type: numbers the later tables repeat (e.g. 施工许可 names 用地/工程规划许可证). */
  earlier: Readonly<Record<string, string>>;
  /** Drawing review only: the review's own facts, when the joint review issued it. */
  review?: {
    organisation: string | null;
    organisationCreditCode: string | null;
    fireJoint: boolean;
    civilAirDefenceJoint: boolean;
    violationTotal: number;
  };
}

const scale = (p: LicenceFacts['project']) =>
  p.buildingArea
    ? `用地面积 ${p.siteAreaM2} 平方米，总建筑面积 ${p.buildingArea} 平方米`
    : `用地面积 ${p.siteAreaM2} 平方米`;

const validity = (f: LicenceFacts) => ({
  SJYXBS: f.revoked ? 0 : 1,
  SJWXYY: f.revoked ? (f.revokedReason ?? '已撤销') : null,
});

/**
 * The licence row for a certificate, or null when its type has no SPGL licence table. What the
 * certificate's national form says (certificate-form.rules: 建设地址, 建设规模, 合同价格 …) takes the place
 * of what the project's registration can only approximate (the district for the address, the areas for
 * the scale): the row says what the certificate says.
 */
export function licenceRow(f: LicenceFacts): { tableCode: string; row: SpglRow } | null {
  const built = registryRow(f);
  if (!built) return null;
  return {
    tableCode: built.tableCode,
    row: { ...built.row, ...nationalSpglValues(f.type, f.details ?? {}) },
  };
}

function registryRow(f: LicenceFacts): { tableCode: string; row: SpglRow } | null {
  const tableCode = LICENCE_TABLE_OF[f.type];
  if (!tableCode) return null;
  const p = f.project;
  const base = { DFSJZJ: f.id, XZQHDM: CITY_XZQHDM, GCDM: p.code };
  const builder = {
    JSDW: p.enterpriseName,
    JSDWDM: p.enterpriseCreditCode,
  };
  switch (tableCode) {
    case LAND_USE_PERMIT_TABLE:
      return {
        tableCode,
        row: {
          ...base,
          SPSXSLBM: f.taskId,
          YDGHXKZBH: f.number,
          XMMC: p.name,
          YDDW: p.enterpriseName,
          YDTYSHXYDM: p.enterpriseCreditCode,
          FZJG: f.issuerName,
          FZJGTYSHXYDM: f.issuerCreditCode,
          FZRQ: f.issuedOn,
          YDWZ: p.districtCode,
          YDMJ: p.siteAreaM2,
          JSGM: scale(p),
          ...validity(f),
        },
      };
    case PLANNING_PERMIT_TABLE:
      return {
        tableCode,
        row: {
          ...base,
          SPSXSLBM: f.taskId,
          ...builder,
          YDGHXKZBH: f.earlier.land_use_planning_permit ?? null,
          GCGHXKZBH: f.number,
          XMMC: p.name,
          FZJG: f.issuerName,
          FZJGTYSHXYDM: f.issuerCreditCode,
          FZRQ: f.issuedOn,
          JSWZ: p.districtCode,
          JSGM: scale(p),
          ...validity(f),
        },
      };
    case DRAWING_REVIEW_TABLE:
      return {
        tableCode,
        row: {
          ...base,
          XMDM: p.code,
          STYWBH: f.taskId,
          SPSXBM: f.itemCode,
          SPSXBBH: f.itemVersion,
          JSDW: p.enterpriseName,
          JSTYSHXYDM: p.enterpriseCreditCode,
          SCJG: f.review?.organisation ?? f.issuerName,
          SCJGTYSHXYDM: f.review?.organisationCreditCode ?? f.issuerCreditCode,
          SFYRFLHSC: f.review ? (f.review.civilAirDefenceJoint ? 1 : 0) : null,
          SFYXFLHSC: f.review ? (f.review.fireJoint ? 1 : 0) : null,
          SCHGSBH: f.number,
          SCZFXWFQTZS: f.review?.violationTotal ?? null,
          SCTGSJ: f.issuedOn,
          ...validity(f),
        },
      };
    case CONSTRUCTION_PERMIT_TABLE:
      return {
        tableCode,
        row: {
          ...base,
          SPSXSLBM: f.taskId,
          YDGHXKZBH: f.earlier.land_use_planning_permit ?? null,
          GCGHXKZBH: f.earlier.construction_planning_permit ?? null,
          SCHGSBH: f.earlier.drawing_review ?? null,
          SGXKZBH: f.number,
          FZJG: f.issuerName,
          FZJGTYSHXYDM: f.issuerCreditCode,
          FZRQ: f.issuedOn,
          ...builder,
          GCMC: p.name,
          SSQX: p.districtCode,
          XMJWDZB: p.centre,
          JSGM: scale(p),
          JHKGRQ: p.plannedStart,
          JHJGRQ: p.plannedCompletion,
          ZJZMJ: p.buildingArea,
          ...validity(f),
        },
      };
    case COMPLETION_FILING_TABLE:
      return {
        tableCode,
        row: {
          ...base,
          SPSXSLBM: f.taskId,
          ...builder,
          SCHGSBH: f.earlier.drawing_review ?? null,
          SGXKZBH: f.earlier.construction_permit ?? null,
          JGYSBABH: f.number,
          BAJG: f.issuerName,
          BAJGXYDM: f.issuerCreditCode,
          BARQ: f.issuedOn,
          GCMC: p.name,
          SSQX: p.districtCode,
          XMJWDZB: p.centre,
          JSGM: scale(p),
          ZJZMJ: p.buildingArea,
          ...validity(f),
        },
      };
    default:
      return null;
  }
}
