/**
 * The approval-item catalog (任务 1–6): read the current versions, validate, and let an administrator
 * publish a new version of an item or record a merge / cancellation — each change versioned and audited.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import { listDepartments } from '../identity/identity.service';
import { listedServiceRefs } from '../marketplace/service-list.service';
import * as repo from './catalog.repository';
import { publicationProblem, validateCatalog } from './catalog.rules';
import type { CatalogChange, Item } from './catalog.schemas';

export const listItems = repo.listCurrentItems;
export const listChanges = repo.listChanges;
/** The item's version in force (for other modules: they never read catalog tables themselves). */
export const findCurrentItem = repo.findCurrentItem;
export const findCurrentItems = repo.findCurrentItems;
export const itemNames = repo.itemNames;

export async function getItem(db: Kysely<DB>, code: string) {
  const item = await repo.findCurrentItem(db, code);
  if (!item) throw notFound('审批事项 item', code);
  const [versions, issues] = await Promise.all([repo.listItemVersions(db, code), validateAll(db)]);
  return { item, versions, issues: issues.filter((i) => i.itemCode === code) };
}

export async function validateAll(db: Kysely<DB>) {
  const [items, departments, services] = await Promise.all([
    repo.listCurrentItems(db, { status: 'all' }),
    listDepartments(db),
    listedServiceRefs(db),
  ]);
  return validateCatalog(items, departments, services);
}

/**
 * Publishes a new version of an item from the version it was edited from, effective on the date sent
 * (publicationProblem: stale version 409, dates 422); the old version closes that day.
 */
export async function publishItemVersion(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  input: Item,
): Promise<Item> {
  const today = beijingDate(now);
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockCurrentItem(trx, input.code);
    const problem = publicationProblem(current, input, today);
    if (problem) throw new DomainError(problem.code, problem.message, { field: problem.field });
    const departments = await listDepartments(trx);
    const next: Item = {
      ...input,
      version: (current?.version ?? 0) + 1,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: null,
    };
    const errors = draftIssues(next, departments).filter((i) => i.blocking);
    if (errors.length > 0) {
      throw new DomainError('CATALOG_INVALID', errors.map((e) => e.message).join('; '), { details: errors });
    }
    if (current) await repo.closeItemVersion(trx, current.code, current.version, next.effectiveFrom);
    await repo.insertItemVersions(trx, [next], actor.userId);
    await recordEvent(trx, actor, now, {
      action: current ? 'catalog.item_amended' : 'catalog.item_created',
      objectType: 'item',
      objectId: next.code,
      fromState: current ? `v${current.version}:${current.status}` : null,
      toState: `v${next.version}:${next.status}`,
    });
    return next;
  });
}

/**
 * The validator's findings on a draft version: `blocking` ones refuse publication (an item resting only
 * on a department rule is flagged, not refused: task 1 cancels such items through a recorded change).
 */
function draftIssues(next: Item, departments: Awaited<ReturnType<typeof listDepartments>>) {
  return validateCatalog([next], departments).map((i) => ({
    ...i,
    blocking: i.severity === 'error' && i.code !== 'BASIS_TOO_LOW',
  }));
}

/**
 * 发布前预览 (issue 15): what publishItemVersion would say about this draft — the validator's findings
 * and the version / date problem — without writing anything.
 */
export async function previewItemVersion(db: Kysely<DB>, now: Date, input: Item) {
  const [current, departments] = await Promise.all([
    repo.findCurrentItem(db, input.code),
    listDepartments(db),
  ]);
  const problem = publicationProblem(current, input, beijingDate(now));
  const next: Item = { ...input, version: (current?.version ?? 0) + 1, effectiveTo: null };
  return {
    current: current ?? null,
    issues: draftIssues(next, departments).map((i) => ({
      code: i.code,
      severity: i.severity,
      message: i.message,
      blocking: i.blocking,
    })),
    publication: problem ? { code: problem.code, field: problem.field, message: problem.message } : null,
  };
}

/**
 * Records a merge or cancellation with its basis (e.g. "郑政办〔2019〕26号 附件任务6"): the affected items
 * get a new version with status merged / cancelled, and the change is listed in /api/catalog/changes.
 */
export async function recordCatalogChange(db: Kysely<DB>, actor: Actor, now: Date, change: CatalogChange) {
  const today = beijingDate(now);
  return db.transaction().execute(async (trx) => {
    const newStatus = change.kind === 'merge' ? 'merged' : change.kind === 'cancel' ? 'cancelled' : null;
    if (newStatus) {
      for (const code of change.itemCodes) {
        const current = await repo.lockCurrentItem(trx, code);
        if (!current) throw notFound('审批事项 item', code);
        if (current.status !== 'active') {
          throw new DomainError(
            'CONFLICT_STATE',
            `事项 ${code} 已是 ${current.status} 状态 (item is not active)`,
            {
              field: 'body.itemCodes',
            },
          );
        }
        await repo.closeItemVersion(trx, code, current.version, today);
        await repo.insertItemVersions(
          trx,
          [
            {
              ...repo.toItem(current),
              version: current.version + 1,
              status: newStatus,
              effectiveFrom: today,
              effectiveTo: null,
            },
          ],
          actor.userId,
        );
      }
      if (
        change.kind === 'merge' &&
        change.resultItemCode &&
        !(await repo.findCurrentItem(trx, change.resultItemCode))
      ) {
        throw notFound('合并后事项 result item', change.resultItemCode);
      }
    }
    await repo.insertChanges(trx, [change], actor.userId);
    await recordEvent(trx, actor, now, {
      action: `catalog.${change.kind}`,
      objectType: 'catalog_change',
      objectId: change.id,
      reason: change.basis,
      detail: { itemCodes: change.itemCodes, resultItemCode: change.resultItemCode },
    });
    return change;
  });
}
