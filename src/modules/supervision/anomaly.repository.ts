/** SQL of the 电子监察规则 (anomaly rules) and their hits. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export interface Hit {
  rule: string;
  objectType: string;
  objectId: string;
  detail: Record<string, unknown>;
}

/** A task decided (or with a decision) while its application was never accepted at the window. */
export async function decisionsWithoutAcceptance(db: Db): Promise<Hit[]> {
  const rows = await db
    .selectFrom('itemTask')
    .innerJoin('stageApplication', 'stageApplication.id', 'itemTask.applicationId')
    .select(['itemTask.id', 'itemTask.applicationId', 'itemTask.itemCode'])
    .where('stageApplication.acceptedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb('itemTask.decidedAt', 'is not', null),
        eb.exists(
          eb
            .selectFrom('taskDecision')
            .select('taskDecision.id')
            .whereRef('taskDecision.taskId', '=', 'itemTask.id'),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    rule: 'decision_without_acceptance',
    objectType: 'item_task',
    objectId: r.id,
    detail: { applicationId: r.applicationId, itemCode: r.itemCode },
  }));
}

/** Timestamps out of order: accepted before submitted, decided before accepted, completed before accepted. */
export async function timestampsOutOfOrder(db: Db): Promise<Hit[]> {
  const apps = await db
    .selectFrom('stageApplication')
    .select(['id', 'submittedAt', 'acceptedAt', 'completedAt'])
    .where((eb) =>
      eb.or([
        eb('acceptedAt', '<', eb.ref('submittedAt')),
        eb.and([eb('completedAt', 'is not', null), eb('completedAt', '<', eb.ref('acceptedAt'))]),
      ]),
    )
    .execute();
  const decisions = await db
    .selectFrom('taskDecision')
    .innerJoin('itemTask', 'itemTask.id', 'taskDecision.taskId')
    .innerJoin('stageApplication', 'stageApplication.id', 'itemTask.applicationId')
    .select([
      'itemTask.id as taskId',
      'taskDecision.step',
      'taskDecision.decidedAt',
      'stageApplication.acceptedAt',
    ])
    .where('taskDecision.decidedAt', '<', sql<Date>`stage_application.accepted_at`)
    .execute();
  return [
    ...apps.map((a) => ({
      rule: 'timestamps_out_of_order',
      objectType: 'stage_application',
      objectId: a.id,
      detail: { submittedAt: a.submittedAt, acceptedAt: a.acceptedAt, completedAt: a.completedAt },
    })),
    ...decisions.map((d) => ({
      rule: 'timestamps_out_of_order',
      objectType: 'item_task',
      objectId: d.taskId,
      detail: { step: d.step, decidedAt: d.decidedAt, acceptedAt: d.acceptedAt },
    })),
  ];
}

/** 补正 asked two or more times on one application (task 9: 一次性告知). */
export async function repeatedCorrections(db: Db): Promise<Hit[]> {
  const rows = await db
    .selectFrom('correctionRequest')
    .select(['applicationId', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('applicationId')
    .having((eb) => eb.fn.countAll(), '>=', 2)
    .execute();
  return rows.map((r) => ({
    rule: 'repeated_correction',
    objectType: 'stage_application',
    objectId: r.applicationId,
    detail: { corrections: Number(r.n) },
  }));
}

/** Special procedures that stop the clock (not 补正): their spans, measured by the service. */
export function specialPauses(db: Db) {
  return db
    .selectFrom('clockPause')
    .select(['id', 'taskId', 'kind', 'startedOn', 'endedOn'])
    .where('pausesClock', '=', true)
    .where('kind', '<>', 'correction')
    .execute();
}

export async function unknownCertificateVerifications(db: Db): Promise<Hit[]> {
  const rows = await db
    .selectFrom('certificateVerificationLog')
    .select([
      'certificateId',
      (eb) => eb.fn.sum<string>('attempts').as('n'),
      (eb) => eb.fn.count<string>('clientAddress').distinct().as('addresses'),
      (eb) => eb.fn.min('day').as('firstDay'),
      (eb) => eb.fn.max('verifiedAt').as('last'),
    ])
    .where('found', '=', false)
    .groupBy('certificateId')
    .execute();
  // One hit per unknown id (insertHit keeps one per rule and object), however many lookups it had.
  return rows.map((r) => ({
    rule: 'unknown_certificate_verification',
    objectType: 'certificate',
    objectId: r.certificateId,
    detail: {
      attempts: Number(r.n),
      addresses: Number(r.addresses),
      firstDay: r.firstDay,
      lastAt: r.last,
    },
  }));
}

export async function settingValue(db: Db, key: string, fallback: number) {
  const row = await db
    .selectFrom('supervisionSetting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? fallback;
}

export function upsertSetting(trx: Transaction<DB>, key: string, value: number) {
  return trx
    .insertInto('supervisionSetting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** New hits only: one record per rule and object. */
export async function insertHit(trx: Transaction<DB>, hit: Hit, at: Date) {
  const row = await trx
    .insertInto('anomaly')
    .values({ ...hit, detail: JSON.stringify(hit.detail), detectedAt: at, status: 'open' })
    .onConflict((oc) => oc.columns(['rule', 'objectType', 'objectId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * The district of the project an anomaly is about (issue 15): through its task, application or clock
 * pause; NULL for objects of no project (an unknown certificate id), which only city supervisors see.
 */
const anomalyDistrict = sql<string | null>`(
  SELECT p.district_code FROM project p
  JOIN stage_application a ON a.project_id = p.id
  WHERE (anomaly.object_type = 'stage_application' AND a.id::text = anomaly.object_id)
     OR (anomaly.object_type = 'item_task' AND EXISTS (
           SELECT 1 FROM item_task t WHERE t.application_id = a.id AND t.id::text = anomaly.object_id))
     OR (anomaly.object_type = 'clock_pause' AND EXISTS (
           SELECT 1 FROM clock_pause c JOIN item_task t ON t.id = c.task_id
           WHERE t.application_id = a.id AND c.id::text = anomaly.object_id))
  LIMIT 1)`;

export function listAnomalies(
  db: Db,
  f: { status?: 'open' | 'closed'; rule?: string; districtCode?: string; id?: string },
) {
  let q = db.selectFrom('anomaly').selectAll().select(anomalyDistrict.as('districtCode'));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.rule) q = q.where('rule', '=', f.rule);
  if (f.id) q = q.where('id', '=', f.id);
  if (f.districtCode) q = q.where(anomalyDistrict, '=', f.districtCode);
  return q.orderBy('detectedAt', 'desc').limit(1000).execute();
}

export function closeAnomaly(trx: Transaction<DB>, id: string, by: string, at: Date, note: string) {
  return trx
    .updateTable('anomaly')
    .set({ status: 'closed', closedBy: by, closedAt: at, note })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export function findAnomaly(db: Db, id: string) {
  return db.selectFrom('anomaly').select('id').where('id', '=', id).executeTakeFirst();
}

/**
 * For the certificates module: public verifications (体外循环 leads), one row per id, client address and
 * Beijing day with a count — a flood of lookups grows a counter, not the table.
 */
export function insertVerification(
  db: Db,
  v: { certificateId: string; found: boolean; at: Date; day: string; clientAddress: string },
) {
  return db
    .insertInto('certificateVerificationLog')
    .values({
      certificateId: v.certificateId,
      found: v.found,
      verifiedAt: v.at,
      firstVerifiedAt: v.at,
      day: v.day,
      clientAddress: v.clientAddress,
    })
    .onConflict((oc) =>
      oc.columns(['certificateId', 'clientAddress', 'day']).doUpdateSet((eb) => ({
        attempts: sql<number>`${eb.ref('certificateVerificationLog.attempts')} + 1`,
        verifiedAt: eb.ref('excluded.verifiedAt'),
        found: eb.ref('excluded.found'),
      })),
    )
    .execute();
}
