/**
 * The SQL of foresight: read-only looks at the approvals' history (as the statistics and supervision
 * read sides do) and the saved reform scenarios, the only table this module writes.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { ProjectAttributes } from '../templates/template.schemas';
import type { ProgressApplication } from './forecast.graph';
import type { ForecastScenarioTable } from './forecast.tables';

type Db = Kysely<DB> | Transaction<DB>;

/** Approved tasks decided since `since` (Beijing date): the history durations are learned from. */
export async function approvedTasks(db: Db, since: string) {
  const { rows } = await sql<{
    projectId: string;
    itemCode: string;
    departmentCode: string;
    stage: number;
    startedOn: string;
    decidedOn: string;
    viaCommitment: boolean;
    extendedDays: number;
    pausedDays: number | null;
  }>`
    SELECT t.project_id, t.item_code, t.department_code, t.stage, t.started_on::text AS started_on,
      (t.decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS decided_on,
      t.via_commitment, t.extended_days, c.paused_days
    FROM item_task t LEFT JOIN task_clock c ON c.task_id = t.id
    WHERE t.status = 'approved' AND t.decided_at IS NOT NULL
      AND t.decided_at >= (${since}::date - interval '8 hours')`.execute(db);
  return rows.map((r) => ({
    ...r,
    stage: Number(r.stage),
    extendedDays: Number(r.extendedDays),
    pausedDays: Number(r.pausedDays ?? 0),
  }));
}

export type ProjectRow = {
  id: string;
  code: string;
  name: string;
  enterpriseId: string;
  templateCode: string;
  templateVersion: number;
  attributes: ProjectAttributes;
};

export async function projects(db: Db, ids: readonly string[]): Promise<ProjectRow[]> {
  const out: ProjectRow[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('project')
        .select(['id', 'code', 'name', 'enterpriseId', 'templateCode', 'templateVersion', 'attributes'])
        .where('id', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

export async function applications(db: Db, projectIds: readonly string[]) {
  const out = [];
  for (let i = 0; i < projectIds.length; i += 1000) {
    const chunk = projectIds.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    const { rows } = await sql<{
      id: string;
      projectId: string;
      stage: number;
      status: ProgressApplication['status'];
      submittedAt: Date;
      acceptedOn: string | null;
      completedOn: string | null;
    }>`
      SELECT id, project_id, stage, status, submitted_at, accepted_on::text AS accepted_on,
        (completed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS completed_on
      FROM stage_application WHERE project_id IN (${sql.join(chunk)}) ORDER BY submitted_at`.execute(db);
    out.push(...rows.map((r) => ({ ...r, stage: Number(r.stage), submittedAt: new Date(r.submittedAt) })));
  }
  return out;
}

export async function projectTasks(db: Db, projectIds: readonly string[]) {
  const out = [];
  for (let i = 0; i < projectIds.length; i += 1000) {
    const chunk = projectIds.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    const { rows } = await sql<{
      projectId: string;
      itemCode: string;
      departmentCode: string;
      status: string;
      startedOn: string;
      decidedOn: string | null;
    }>`
      SELECT project_id, item_code, department_code, status, started_on::text AS started_on,
        (decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS decided_on
      FROM item_task WHERE project_id IN (${sql.join(chunk)})`.execute(db);
    out.push(...rows);
  }
  return out;
}

/** Projects with at least one stage application, newest first; for a department, those it has a task in. */
export async function projectsWithApplications(db: Db, limit: number, departmentCode?: string) {
  const { rows } = await sql<{ projectId: string }>`
    SELECT a.project_id FROM stage_application a
    ${departmentCode ? sql`WHERE EXISTS (SELECT 1 FROM item_task t WHERE t.project_id = a.project_id AND t.department_code = ${departmentCode})` : sql``}
    GROUP BY a.project_id ORDER BY max(a.submitted_at) DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.projectId);
}

// ---------------------------------------------------------------------------------------------------
// Saved scenarios.

export function insertScenario(trx: Transaction<DB>, row: Insertable<ForecastScenarioTable>) {
  return trx.insertInto('forecastScenario').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listScenarios(db: Db) {
  return db.selectFrom('forecastScenario').selectAll().orderBy('createdAt', 'desc').limit(200).execute();
}

export function findScenario(db: Db, id: string) {
  return db.selectFrom('forecastScenario').selectAll().where('id', '=', id).executeTakeFirst();
}

export function deleteScenario(trx: Transaction<DB>, id: string) {
  return trx.deleteFrom('forecastScenario').where('id', '=', id).returning('id').executeTakeFirst();
}
