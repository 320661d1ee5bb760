/**
 * The facts behind the process-definition, licence-result and 多规合一 rows, read through the owning
 * modules' services (templates, catalog, certificates, blueprint, projects), as the system.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { layerWithVersions } from '../blueprint/layer.service';
import { plannedProjectRecord } from '../blueprint/planned.service';
import { layerKindNames, type LayerKind } from '../blueprint/blueprint.rules';
import { beijingDate } from '../calendar/calendar.rules';
import { listItems } from '../catalog/catalog.service';
import type { Item } from '../catalog/catalog.schemas';
import { certificateRecord, projectCertificateRecords } from '../certificates/certificate.service';
import { displayNamesOf } from '../identity/identity.service';
import { provinceRowsOf } from '../marketplace/engagement.service';
import { exchangeFacts } from '../projects/project.service';
import { findVersionRecord } from '../templates/template.service';
import { templateView } from '../templates/template.rules';
import { definitionRows } from './definition.rules';
import { LICENCE_TABLE_OF, licenceRow, type LicenceFacts } from './licence.rules';
import {
  CONTROL_LINE_KINDS,
  controlLineRow,
  preliminaryOpinionRow,
  redLineRow,
  ringSummary,
  siteCentre,
} from './planning.rules';
import type { SpglRow } from './exchange.rules';
import {
  CONTROL_LINE_TABLE,
  INTERMEDIARY_PROCESS_TABLE,
  INTERMEDIARY_SERVICE_TABLE,
  PRELIMINARY_OPINION_TABLE,
  RED_LINE_TABLE,
} from './spgl.tables.data';

type Trx = Transaction<DB>;

export interface BuiltRow {
  tableCode: string;
  projectId: string | null;
  row: SpglRow;
}

export interface SourceOptions {
  /** PUBLIC_BASE_URL: where the flowchart is published (审批流程图地址); absent → a site-relative path. */
  publicBaseUrl?: string;
}

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

async function itemsByCode(trx: Trx): Promise<Map<string, Item>> {
  return new Map((await listItems(trx, { status: 'all' })).map((i) => [i.code, i]));
}

/** 流程, 阶段, 阶段事项 rows of one template version. */
export async function definitionBuilt(
  trx: Trx,
  code: string,
  version: number,
  opts: SourceOptions,
): Promise<BuiltRow[]> {
  const record = await findVersionRecord(trx, code, version);
  if (!record) return [];
  const items = await itemsByCode(trx);
  const view = templateView(record.definition, items);
  const base = (opts.publicBaseUrl ?? '').replace(/\/$/, '');
  return definitionRows({
    code: view.code,
    version: view.version,
    name: view.name,
    nationalProcessType: view.nationalProcessType,
    effectiveFrom: view.effectiveFrom,
    effectiveTo: record.effectiveTo,
    totalWorkingDays: view.totalWorkingDays,
    stages: view.stages,
    items,
    flowchartUrl: `${base}/api/process-templates/${encodeURIComponent(view.code)}/flowchart.svg`,
  }).map((r) => ({ ...r, projectId: null }));
}

/** 项目用地红线界址: one row per project, from its registered site. */
export async function redLineBuilt(trx: Trx, projectId: string): Promise<BuiltRow[]> {
  const facts = await exchangeFacts(trx, projectId);
  if (!facts) return [];
  const p = facts.project;
  return [
    {
      tableCode: RED_LINE_TABLE,
      projectId,
      row: redLineRow({
        projectId,
        projectCode: p.code,
        siteAreaM2: Math.round(p.siteAreaM2 * 100) / 100,
        ...ringSummary(p.siteGeoJson),
      }),
    },
  ];
}

type Certificate = NonNullable<Awaited<ReturnType<typeof certificateRecord>>>;

function documentNumber(c: Pick<Certificate, 'content' | 'identifier'>): string {
  const doc = (c.content as { document?: { number?: unknown } }).document;
  return typeof doc?.number === 'string' && doc.number ? doc.number : c.identifier;
}

/**
 * The licence-result row of a formal certificate whose type has an SPGL licence table (a 模拟审批 result
 * is not a licence yet: its row follows when it is formalised).
 */
export async function licenceBuilt(trx: Trx, c: Certificate): Promise<BuiltRow[]> {
  if (!LICENCE_TABLE_OF[c.type] || c.simulated) return [];
  const facts = await exchangeFacts(trx, c.projectId);
  if (!facts) return [];
  const p = facts.project;
  const attrs = p.attributes as unknown as Record<string, unknown>;
  const content = c.content as {
    issuer?: { name?: string; code?: string };
    itemCode?: string;
    details?: Record<string, unknown>;
  };
  const earlier: Record<string, string> = {};
  for (const other of await projectCertificateRecords(trx, c.projectId))
    if (other.id !== c.id && other.revokedAt === null && !other.simulated && other.issuedAt <= c.issuedAt)
      earlier[other.type] = documentNumber(other);
  const items = await itemsByCode(trx);
  const itemCode = content.itemCode ?? '';
  const details = content.details ?? {};
  const review =
    c.type === 'drawing_review' && typeof details.organisation === 'string'
      ? {
          organisation: details.organisation,
          organisationCreditCode:
            content.issuer?.code && CREDIT_CODE.test(content.issuer.code) ? content.issuer.code : null,
          fireJoint: details.fireJoint === true,
          civilAirDefenceJoint: details.civilAirDefenceJoint === true,
          violationTotal: typeof details.violationTotal === 'number' ? details.violationTotal : 0,
        }
      : undefined;
  const f: LicenceFacts = {
    id: c.id,
    taskId: c.taskId,
    type: c.type,
    number: documentNumber(c),
    issuedOn: beijingDate(c.issuedAt),
    issuerName: content.issuer?.name ?? c.departmentCode,
    issuerCreditCode:
      content.issuer?.code && CREDIT_CODE.test(content.issuer.code) ? content.issuer.code : null,
    revoked: c.revokedAt !== null,
    revokedReason: c.revokedReason,
    itemCode,
    itemVersion: items.get(itemCode)?.version ?? 1,
    project: {
      code: p.code,
      name: p.name,
      districtCode: p.districtCode,
      siteAreaM2: Math.round(p.siteAreaM2 * 100) / 100,
      buildingArea:
        typeof attrs.buildingArea === 'number' && attrs.buildingArea > 0 ? attrs.buildingArea : null,
      plannedStart: p.plannedStart,
      plannedCompletion: p.plannedCompletion,
      totalInvestment: p.totalInvestment,
      enterpriseName: p.enterpriseName,
      enterpriseCreditCode: facts.creditCode,
      centre: siteCentre(p.siteGeoJson),
    },
    earlier,
    details,
    ...(review ? { review } : {}),
  };
  const built = licenceRow(f);
  return built ? [{ ...built, projectId: c.projectId }] : [];
}

/** 地方规划控制线: every version of a control-line layer (a new version retires the previous one). */
export async function controlLineBuilt(trx: Trx, layerId: string): Promise<BuiltRow[]> {
  const found = await layerWithVersions(trx, layerId);
  if (!found || !CONTROL_LINE_KINDS.has(found.layer.kind)) return [];
  return found.versions.map((l) => ({
    tableCode: CONTROL_LINE_TABLE,
    projectId: null,
    row: controlLineRow({
      layerId: l.id,
      name: l.name,
      kindName: layerKindNames[l.kind as LayerKind] ?? l.kind,
      version: l.version,
      featureCount: l.featureCount,
      uploadedOn: beijingDate(l.createdAt),
      current: l.isCurrent,
    }),
  }));
}

/**
 * 项目前期意见: the answered 策划生成 opinions of a planned project, once a registered project uses it
 * (the national table is keyed by 项目代码; before that there is nothing the province can file it under).
 */
export async function opinionsBuilt(trx: Trx, plannedProjectId: string): Promise<BuiltRow[]> {
  const planned = await plannedProjectRecord(trx, plannedProjectId);
  if (!planned?.usedByProjectId) return [];
  const facts = await exchangeFacts(trx, planned.usedByProjectId);
  if (!facts) return [];
  const answered = planned.opinions.filter((o) => o.answeredAt && o.opinion);
  const names = await displayNamesOf(
    trx,
    answered.map((o) => o.answeredBy).filter((x): x is string => !!x),
  );
  return answered.map((o) => ({
    tableCode: PRELIMINARY_OPINION_TABLE,
    projectId: planned.usedByProjectId,
    row: preliminaryOpinionRow({
      plannedProjectId,
      projectCode: facts.project.code,
      departmentCode: o.departmentCode,
      departmentName: o.departmentName,
      answeredAt: o.answeredAt!.toISOString(),
      answeredBy: o.answeredBy ? (names.get(o.answeredBy) ?? null) : null,
      opinion: o.opinion!,
      conditions: Array.isArray(o.conditions) ? o.conditions : [],
    }),
  }));
}

const INTERMEDIARY_TABLES: Record<string, string> = {
  中介服务事项办理信息表: INTERMEDIARY_SERVICE_TABLE,
  中介服务事项办理过程信息表: INTERMEDIARY_PROCESS_TABLE,
};

/** 中介服务事项办理信息 / 办理过程信息: the rows the marketplace keeps for an engagement, as they are. */
export async function intermediaryServiceBuilt(trx: Trx, engagementId: string): Promise<BuiltRow[]> {
  return (await provinceRowsOf(trx, engagementId)).map((r) => ({
    tableCode: INTERMEDIARY_TABLES[r.tableName]!,
    projectId: r.projectId,
    row: r.row as SpglRow,
  }));
}
