/** SQL of 策划生成 planned projects and early opinions (tasks 43, 51). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export async function existingDepartments(db: Db, codes: string[]) {
  const rows = await db.selectFrom('department').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

export async function insertPlannedProject(
  trx: Transaction<DB>,
  p: {
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
    ])
    .where('id', '=', id)
    .executeTakeFirst();
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
