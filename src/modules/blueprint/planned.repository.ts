/** SQL of 策划生成 planned projects and early opinions (tasks 43, 51). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function existingDepartments(db: Db, codes: string[]) {
  const rows = await db.selectFrom('department').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** Whether the enterprise is registered (策划生成 names the enterprise the project is for). */
export async function enterpriseExists(db: Db, id: string) {
  return !!(await db.selectFrom('enterprise').select('id').where('id', '=', id).executeTakeFirst());
}

export async function insertPlannedProject(
  trx: Transaction<DB>,
  p: {
    enterpriseId: string;
    planYear: number;
    name: string;
    siteGeoJson: string;
    siteAreaM2: number;
    siteCheck: unknown;
    workingDays: number;
    createdBy: string;
    createdAt: Date;
  },
) {
  const { siteGeoJson, siteCheck, ...rest } = p;
  return (
    await trx
      .insertInto('plannedProject')
      .values({
        ...rest,
        siteCheck: JSON.stringify(siteCheck),
        site: sql<string>`ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${siteGeoJson}), 4490)))`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export async function insertOpinionRequests(
  trx: Transaction<DB>,
  plannedProjectId: string,
  requests: { departmentCode: string; deadline: string }[],
) {
  await trx
    .insertInto('plannedProjectOpinion')
    .values(
      requests.map((r) => ({
        plannedProjectId,
        ...r,
        opinion: null,
        conditions: null,
        answeredBy: null,
        answeredAt: null,
      })),
    )
    .execute();
}

export function findPlannedProject(db: Db, id: string) {
  return db
    .selectFrom('plannedProject')
    .select([
      'id',
      'name',
      sql<string>`ST_AsGeoJSON(site)`.as('siteGeoJson'),
      'siteAreaM2',
      'siteCheck',
      'workingDays',
      'createdBy',
      'createdAt',
      'enterpriseId',
      'planYear',
      'usedByProjectId',
      'usedAt',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Locks the planned project for registration and measures the applicant's site against the planned
 * one: the area of their symmetric difference and the planned area, both ellipsoidal m².
 */
export async function lockForUse(trx: Transaction<DB>, id: string, siteGeoJson: string) {
  const row = await trx
    .selectFrom('plannedProject')
    .select(['id', 'enterpriseId', 'usedByProjectId', 'siteAreaM2'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const { rows } = await sql<{ differenceM2: number }>`
    SELECT ST_Area(ST_SetSRID(ST_SymDifference(p.site,
             ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${siteGeoJson}), 4490)))), 4326)::geography)
             AS "differenceM2"
    FROM planned_project p WHERE p.id = ${id}`.execute(trx);
  return { ...row, differenceM2: Number(rows[0]!.differenceM2) };
}

/** Marks it used once: the conditional update finds nothing when another registration came first. */
export async function markUsed(
  trx: Transaction<DB>,
  a: { id: string; projectId: string; enterpriseId: string; usedAt: Date },
) {
  const row = await trx
    .updateTable('plannedProject')
    .set((eb) => ({
      usedByProjectId: a.projectId,
      usedAt: a.usedAt,
      enterpriseId: eb.fn.coalesce('enterpriseId', eb.val(a.enterpriseId)),
    }))
    .where('id', '=', a.id)
    .where('usedByProjectId', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

/** The planned projects of a 年度实施计划 year (task 53), with the project each became. */
export function listByYear(db: Db, year: number) {
  return db
    .selectFrom('plannedProject')
    .leftJoin('enterprise', 'enterprise.id', 'plannedProject.enterpriseId')
    .leftJoin('project', 'project.id', 'plannedProject.usedByProjectId')
    .select([
      'plannedProject.id',
      'plannedProject.name',
      sql<string>`ST_AsGeoJSON(planned_project.site, 7)`.as('siteGeoJson'),
      'plannedProject.siteAreaM2',
      'plannedProject.siteCheck',
      'plannedProject.planYear',
      'plannedProject.enterpriseId',
      'enterprise.name as enterpriseName',
      'plannedProject.usedByProjectId',
      'project.code as projectCode',
      'plannedProject.usedAt',
      'plannedProject.createdAt',
    ])
    .where('plannedProject.planYear', '=', year)
    .orderBy('plannedProject.createdAt')
    .orderBy('plannedProject.name')
    .execute();
}

/** Every opinion of the given planned projects (one query for a whole year). */
export function listOpinionsOf(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('plannedProjectOpinion')
    .innerJoin('department', 'department.code', 'plannedProjectOpinion.departmentCode')
    .select([
      'plannedProjectOpinion.plannedProjectId',
      'plannedProjectOpinion.departmentCode',
      'department.name as departmentName',
      'plannedProjectOpinion.deadline',
      'plannedProjectOpinion.opinion',
      'plannedProjectOpinion.conditions',
      'plannedProjectOpinion.answeredAt',
    ])
    .where('plannedProjectId', 'in', ids)
    .orderBy('plannedProjectOpinion.departmentCode')
    .execute();
}

export function listOpinions(db: Db, plannedProjectId: string) {
  return db
    .selectFrom('plannedProjectOpinion')
    .innerJoin('department', 'department.code', 'plannedProjectOpinion.departmentCode')
    .select([
      'plannedProjectOpinion.departmentCode',
      'department.name as departmentName',
      'plannedProjectOpinion.deadline',
      'plannedProjectOpinion.opinion',
      'plannedProjectOpinion.conditions',
      'plannedProjectOpinion.answeredBy',
      'plannedProjectOpinion.answeredAt',
    ])
    .where('plannedProjectId', '=', plannedProjectId)
    .orderBy('plannedProjectOpinion.departmentCode')
    .execute();
}

/** Answers once: the conditional update finds nothing when the opinion was already given. */
export async function answerOpinion(
  trx: Transaction<DB>,
  a: {
    plannedProjectId: string;
    departmentCode: string;
    opinion: string;
    conditions: string[];
    answeredBy: string;
    answeredAt: Date;
  },
) {
  const row = await trx
    .updateTable('plannedProjectOpinion')
    .set({
      opinion: a.opinion,
      conditions: JSON.stringify(a.conditions),
      answeredBy: a.answeredBy,
      answeredAt: a.answeredAt,
    })
    .where('plannedProjectId', '=', a.plannedProjectId)
    .where('departmentCode', '=', a.departmentCode)
    .where('opinion', 'is', null)
    .returning('deadline')
    .executeTakeFirst();
  return row;
}

export async function opinionExists(db: Db, plannedProjectId: string, departmentCode: string) {
  const row = await db
    .selectFrom('plannedProjectOpinion')
    .select('opinion')
    .where('plannedProjectId', '=', plannedProjectId)
    .where('departmentCode', '=', departmentCode)
    .executeTakeFirst();
  return row;
}
