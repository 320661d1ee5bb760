/**
 * Publication (task 61): the public credit page's data (black list, red list, published dishonest acts,
 * each with basis and dates; personal ids never) and the export for the provincial credit platform
 * (河南省信用信息共享平台), produced by a job.
 *
 * Export format "zz-credit-export-v1": CSV, UTF-8 with BOM, CRLF line ends, RFC 4180 quoting, one header
 * row, columns in this order:
 *   信息类别 (黑名单 | 红名单 | 失信行为), 主体类型, 主体名称, 统一社会信用代码, 执业证书编号,
 *   认定事由, 认定依据, 认定日期 (YYYY-MM-DD), 有效期至 (YYYY-MM-DD or empty), 认定部门代码, 本系统记录编号
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Jobs } from '../../jobs/boss';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import * as repo from './credit.repository';
import { CREDIT_STAFF, type CreditDeps } from './credit.service';
import { recordKindNames } from './credit.rules';

export const EXPORT_FORMAT = 'zz-credit-export-v1';
export const EXPORT_QUEUE = 'credit-export';

const SUBJECT_KIND_NAMES: Record<string, string> = {
  enterprise: '企业',
  practitioner: '执业人员',
  intermediary: '中介服务机构',
  design_org: '设计单位',
  review_org: '施工图审查机构',
};

export async function publicCredit(db: Kysely<DB>, deps: CreditDeps) {
  const today = beijingDate(deps.clock.now());
  const [black, red, acts] = await Promise.all([
    repo.listListings(db, { list: 'black', status: ['listed'] }),
    repo.listListings(db, { list: 'red', status: ['listed'] }),
    repo.publishedBadRecords(db, today),
  ]);
  const listing = (l: (typeof black)[number]) => ({
    id: l.id,
    subjectName: l.subjectName,
    subjectKind: l.subjectKind,
    creditCode: l.creditCode,
    certificateNo: l.certificateNo,
    reason: l.reason,
    basis: l.basis,
    listedOn: l.listedOn!,
    expiresOn: l.expiresOn,
  });
  return {
    asOf: today,
    blackList: black.map(listing),
    redList: red.map(listing),
    dishonestActs: acts.map((a) => ({
      id: a.id,
      subjectName: a.subjectName,
      subjectKind: a.subjectKind,
      creditCode: a.creditCode,
      certificateNo: a.certificateNo,
      kind: a.kind,
      kindName: recordKindNames[a.kind],
      severity: a.severity,
      reason: a.reason,
      basis: a.basis,
      validFrom: a.validFrom,
      expiresOn: a.expiresOn,
      departmentCode: a.departmentCode,
    })),
  };
}

function csvCell(v: string | null | undefined) {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv(data: Awaited<ReturnType<typeof publicCredit>>): { content: string; rows: number } {
  const header = [
    '信息类别',
    '主体类型',
    '主体名称',
    '统一社会信用代码',
    '执业证书编号',
    '认定事由',
    '认定依据',
    '认定日期',
    '有效期至',
    '认定部门代码',
    '本系统记录编号',
  ];
  const rows: (string | null)[][] = [];
  for (const [list, name] of [
    [data.blackList, '黑名单'],
    [data.redList, '红名单'],
  ] as const) {
    for (const l of list) {
      rows.push([
        name,
        SUBJECT_KIND_NAMES[l.subjectKind] ?? l.subjectKind,
        l.subjectName,
        l.creditCode,
        l.certificateNo,
        l.reason,
        l.basis,
        l.listedOn,
        l.expiresOn,
        null,
        l.id,
      ]);
    }
  }
  for (const a of data.dishonestActs) {
    rows.push([
      '失信行为',
      SUBJECT_KIND_NAMES[a.subjectKind] ?? a.subjectKind,
      a.subjectName,
      a.creditCode,
      a.certificateNo,
      `${a.kindName}：${a.reason}`,
      a.basis,
      a.validFrom,
      a.expiresOn,
      a.departmentCode,
      a.id,
    ]);
  }
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  // Stored without the BOM (text columns may drop it); the download prepends it.
  return { content: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}

export async function requestExport(db: Kysely<DB>, deps: CreditDeps, jobs: Jobs | null, actor: Actor) {
  if (!(CREDIT_STAFF as readonly string[]).includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '仅监管部门人员可导出 (staff only)');
  }
  const row = await db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const r = await repo.insertExport(trx, {
      status: 'queued',
      format: EXPORT_FORMAT,
      requestedBy: actor.userId,
      requestedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'credit.export_requested',
      objectType: 'credit_export',
      objectId: r.id,
    });
    return r;
  });
  if (jobs) await jobs.send(EXPORT_QUEUE, { exportId: row.id });
  return { id: row.id, status: row.status, format: row.format };
}

/** The job: produces one queued export (or all queued ones when no id is given). */
export async function runExport(db: Kysely<DB>, deps: CreditDeps, exportId?: string) {
  const ids = exportId ? [exportId] : (await repo.queuedExports(db)).map((e) => e.id);
  for (const id of ids) {
    const { content, rows } = exportCsv(await publicCredit(db, deps));
    await repo.finishExport(db, id, {
      status: 'done',
      rowCount: rows,
      content,
      finishedAt: deps.clock.now(),
    });
  }
  return ids.length;
}

export async function getExport(db: Kysely<DB>, actor: Actor, id: string) {
  if (!(CREDIT_STAFF as readonly string[]).includes(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '仅监管部门人员可导出 (staff only)');
  }
  const row = await repo.findExport(db, id);
  if (!row) throw notFound('导出 export', id);
  return row;
}
