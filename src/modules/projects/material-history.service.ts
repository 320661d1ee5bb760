/**
 * The "already reviewed" list (task 9: 谁审查、谁负责, 上一环节已经审查的内容不再重复审查): for each material
 * of a project, which task of which department reviewed it, when, and with what outcome.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { listDepartments } from '../identity/identity.service';
import { materialReviews, type MaterialReview } from './guide.rules';
import * as guideRepo from './guide.repository';
import { itemsByCode } from './project.service';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Per material code, the decided tasks of the project that reviewed it (oldest first), leaving out
 * `excludeTaskId` (the task being looked at). A task still undecided has reviewed nothing yet; the latest
 * decision of a task (highest round, 复核 after 初核) gives its step and outcome (approve / reject / return).
 */
export async function reviewedMaterials(
  db: Db,
  projectId: string,
  excludeTaskId?: string,
): Promise<Record<string, MaterialReview[]>> {
  const [materials, decisions, items, departments] = await Promise.all([
    guideRepo.taskMaterials(db, projectId, excludeTaskId),
    guideRepo.taskDecisions(db, projectId),
    itemsByCode(db),
    listDepartments(db),
  ]);
  return materialReviews(materials, decisions, items, new Map(departments.map((d) => [d.code, d.name])));
}
