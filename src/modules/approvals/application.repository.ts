/** SQL of the stage-application aggregate: applications, their materials, 容缺, 补正, commitments. */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema';
import type { StageApplicationTable } from './approval.tables';
import { containingPattern } from '../../shared/like';
import { withTotal } from '../../shared/paging';

type Db = Kysely<DB> | Transaction<DB>;

// ---- applications

export function findApplicationByIdempotencyKey(db: Db, userId: string, key: string) {
  return db
    .selectFrom('stageApplication')
    .selectAll()
    .where('submittedBy', '=', userId)
    .where('idempotencyKey', '=', key)
    .executeTakeFirst();
}

export function insertApplication(trx: Transaction<DB>, row: Insertable<StageApplicationTable>) {
  return trx.insertInto('stageApplication').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findApplication(db: Db, id: string) {
  return db.selectFrom('stageApplication').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The outer query's application, inside its correlated JSON subqueries. */
const outerApplicationId = sql<string>`stage_application.id`;
const revive = (v: string | null) => (v === null ? null : new Date(v));

/**
 * What the application's detail view shows of its own aggregate in one statement (issue 10 item 8): the
 * row, its project's template version, and its materials, 容缺, 补正, commitments and approved 延期 as
 * JSON arrays, in the orders of listApplicationMaterials / listDeficiencies / listCorrections /
 * listCommitments / listExtensions. Timestamps are revived to Dates, so values match those lists'.
 */
export async function findApplicationDetail(db: Db, id: string) {
  const row = await db
    .selectFrom('stageApplication')
    .innerJoin('project', 'project.id', 'stageApplication.projectId')
    .selectAll('stageApplication')
    .select(['project.templateCode', 'project.templateVersion'])
    .select([
      jsonArrayFrom(
        db
          .selectFrom('applicationMaterial')
          .innerJoin('materialFile', 'materialFile.id', 'applicationMaterial.fileId')
          .select([
            'applicationMaterial.materialCode',
            'applicationMaterial.fileId',
            'materialFile.originalName',
            'materialFile.mediaType',
            'materialFile.sizeBytes',
            'materialFile.sha256',
          ])
          .where('applicationMaterial.applicationId', '=', outerApplicationId)
          .orderBy('applicationMaterial.materialCode'),
      ).as('materials'),
      jsonArrayFrom(
        db
          .selectFrom('deficiency')
          .select(['materialCode', 'dueDate', 'fulfilledAt'])
          .where('deficiency.applicationId', '=', outerApplicationId)
          .orderBy('materialCode'),
      ).as('deficiencies'),
      jsonArrayFrom(
        db
          .selectFrom('correctionRequest')
          .select(['id', 'taskId', 'items', 'requestedAt', 'dueDate', 'answeredAt'])
          .where('correctionRequest.applicationId', '=', outerApplicationId)
          .orderBy('requestedAt'),
      ).as('corrections'),
      jsonArrayFrom(
        db
          .selectFrom('commitment')
          .select(['commitment.itemCode', 'commitment.text', 'commitment.signedAt'])
          .where('commitment.applicationId', '=', outerApplicationId)
          .orderBy('itemCode'),
      ).as('signedCommitments'),
      jsonArrayFrom(
        db
          .selectFrom('taskExtension')
          .innerJoin('itemTask', 'itemTask.id', 'taskExtension.taskId')
          .select([
            'taskExtension.taskId',
            'taskExtension.workingDays',
            'taskExtension.reason',
            'taskExtension.decidedAt',
          ])
          .where('itemTask.applicationId', '=', outerApplicationId)
          .where('taskExtension.status', '=', 'approved')
          .orderBy('taskExtension.requestedAt'),
      ).as('approvedExtensions'),
    ])
    .where('stageApplication.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { materials, deficiencies, corrections, signedCommitments, approvedExtensions, ...app } = row;
  return {
    app,
    materials,
    deficiencies: deficiencies.map((d) => ({ ...d, fulfilledAt: revive(d.fulfilledAt) })),
    corrections: corrections.map((c) => ({
      ...c,
      requestedAt: new Date(c.requestedAt),
      answeredAt: revive(c.answeredAt),
    })),
    commitments: signedCommitments.map((c) => ({ ...c, signedAt: new Date(c.signedAt) })),
    approvedExtensions: approvedExtensions.map((e) => ({ ...e, decidedAt: revive(e.decidedAt) })),
  };
}

export function lockApplication(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('stageApplication').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateApplication(trx: Transaction<DB>, id: string, set: Updateable<StageApplicationTable>) {
  return trx
    .updateTable('stageApplication')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Applications of a project, newest first (the project's stage states read them). */
export function listProjectApplications(db: Db, projectId: string) {
  return db
    .selectFrom('stageApplication')
    .select(['id', 'stage', 'status', 'itemCodes', 'submittedAt', 'completedAt'])
    .where('projectId', '=', projectId)
    .orderBy('submittedAt', 'desc')
    .execute();
}

function projectQuery(db: Db) {
  return db
    .selectFrom('project')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'project.id',
      'project.code',
      'project.name',
      'project.enterpriseId',
      'project.templateCode',
      'project.templateVersion',
      'project.attributes',
      'project.preconditions',
      'project.districtCode',
      'project.totalInvestment',
      'project.siteAreaM2',
      'project.plannedStart',
      'project.plannedCompletion',
      'project.constructionConditions',
      'enterprise.name as enterpriseName',
      'enterprise.creditCode',
    ]);
}

export function findProject(db: Db, projectId: string) {
  return projectQuery(db).where('project.id', '=', projectId).executeTakeFirst();
}

/** Locks the project row so two submissions for the same stage cannot both pass the "one open" check. */
export function lockProject(trx: Transaction<DB>, projectId: string) {
  return projectQuery(trx).where('project.id', '=', projectId).forUpdate(['project']).executeTakeFirst();
}

/** What the window's queue may be narrowed and ordered by (the page is cut in SQL). */
export interface ApplicationListFilter {
  status?: string[];
  enterpriseId?: string;
  /** Text in the project's name or code, or the enterprise's name (typed % and _ are literal). */
  q?: string | undefined;
  stage?: number | undefined;
  districtCode?: string | undefined;
  sort: 'submittedAt' | 'projectName' | 'projectCode' | 'stage' | 'expectedCompletion';
  order: 'asc' | 'desc';
}

const applicationSortColumn = {
  submittedAt: 'stageApplication.submittedAt',
  projectName: 'project.name',
  projectCode: 'project.code',
  stage: 'stageApplication.stage',
  expectedCompletion: 'stageApplication.expectedCompletion',
} as const;

function applicationListQuery(db: Db, f: ApplicationListFilter) {
  let q = db
    .selectFrom('stageApplication')
    .innerJoin('project', 'project.id', 'stageApplication.projectId')
    .innerJoin('enterprise', 'enterprise.id', 'project.enterpriseId')
    .select([
      'stageApplication.id',
      'stageApplication.projectId',
      'stageApplication.stage',
      'stageApplication.status',
      'stageApplication.submittedAt',
      'stageApplication.acceptedAt',
      'stageApplication.completedAt',
      'stageApplication.expectedCompletion',
      'project.code as projectCode',
      'project.name as projectName',
      'project.districtCode',
      'enterprise.name as enterpriseName',
    ]);
  if (f.status?.length) q = q.where('stageApplication.status', 'in', f.status as never);
  if (f.enterpriseId) q = q.where('project.enterpriseId', '=', f.enterpriseId);
  if (f.stage !== undefined) q = q.where('stageApplication.stage', '=', f.stage);
  if (f.districtCode) q = q.where('project.districtCode', '=', f.districtCode);
  const text = f.q?.trim();
  if (text) {
    const pattern = containingPattern(text);
    q = q.where((eb) =>
      eb.or([
        eb('project.name', 'ilike', pattern),
        eb('project.code', 'ilike', pattern),
        eb('enterprise.name', 'ilike', pattern),
      ]),
    );
  }
  return q
    .orderBy(applicationSortColumn[f.sort], (o) =>
      f.order === 'asc' ? o.asc().nullsLast() : o.desc().nullsLast(),
    )
    .orderBy('stageApplication.submittedAt', f.order)
    .orderBy('stageApplication.id', f.order);
}

/** One page of the applications that match and the number of all of them (one statement). */
export async function listApplications(
  db: Db,
  f: ApplicationListFilter,
  cut: { limit: number; offset: number },
) {
  const rows = await applicationListQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .limit(cut.limit)
    .offset(cut.offset)
    .execute();
  return withTotal(rows, cut.offset, async () => {
    const r = await db
      .selectFrom(applicationListQuery(db, f).clearOrderBy().as('t'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
}

export function insertApplicationMaterials(
  trx: Transaction<DB>,
  rows: { applicationId: string; materialCode: string; fileId: string }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('applicationMaterial')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['applicationId', 'materialCode'])
        .doUpdateSet((eb) => ({ fileId: eb.ref('excluded.fileId') })),
    )
    .execute()
    .then(() => undefined);
}

export function listApplicationMaterials(db: Db, applicationId: string) {
  return db
    .selectFrom('applicationMaterial')
    .innerJoin('materialFile', 'materialFile.id', 'applicationMaterial.fileId')
    .select([
      'applicationMaterial.materialCode',
      'applicationMaterial.fileId',
      'materialFile.originalName',
      'materialFile.mediaType',
      'materialFile.sizeBytes',
      'materialFile.sha256',
    ])
    .where('applicationMaterial.applicationId', '=', applicationId)
    .orderBy('applicationMaterial.materialCode')
    .execute();
}

// ---- deficiencies (容缺), corrections (补正), commitments (告知承诺)

export function insertDeficiencies(
  trx: Transaction<DB>,
  rows: { applicationId: string; materialCode: string; dueDate: string }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('deficiency')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function listDeficiencies(db: Db, applicationId: string) {
  return db
    .selectFrom('deficiency')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('materialCode')
    .execute();
}

export function fulfilDeficiency(
  trx: Transaction<DB>,
  applicationId: string,
  materialCode: string,
  fileId: string,
  at: Date,
) {
  return trx
    .updateTable('deficiency')
    .set({ fulfilledAt: at, fileId })
    .where('applicationId', '=', applicationId)
    .where('materialCode', '=', materialCode)
    .where('fulfilledAt', 'is', null)
    .executeTakeFirst();
}

export function insertCorrection(
  trx: Transaction<DB>,
  row: {
    applicationId: string;
    taskId: string | null;
    items: string;
    requestedBy: string;
    requestedAt: Date;
    dueDate: string;
  },
) {
  return trx.insertInto('correctionRequest').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockCorrection(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('correctionRequest').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function answerCorrection(trx: Transaction<DB>, id: string, at: Date, answer: string) {
  return trx
    .updateTable('correctionRequest')
    .set({ answeredAt: at, answer })
    .where('id', '=', id)
    .where('answeredAt', 'is', null)
    .executeTakeFirst();
}

export function listCorrections(db: Db, applicationId: string) {
  return db
    .selectFrom('correctionRequest')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('requestedAt')
    .execute();
}

export function insertCommitments(
  trx: Transaction<DB>,
  rows: { applicationId: string; itemCode: string; text: string; signedBy: string; signedAt: Date }[],
) {
  if (rows.length === 0) return Promise.resolve();
  return trx
    .insertInto('commitment')
    .values(rows)
    .execute()
    .then(() => undefined);
}

export function listCommitments(db: Db, applicationId: string) {
  return db
    .selectFrom('commitment')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .orderBy('itemCode')
    .execute();
}

/** Unanswered 补正 requests of running applications (reminders, termination past the due date). */
export function listOpenCorrections(db: Db, applicationId?: string) {
  let q = db
    .selectFrom('correctionRequest')
    .innerJoin('stageApplication', 'stageApplication.id', 'correctionRequest.applicationId')
    .selectAll('correctionRequest')
    .select(['stageApplication.projectId', 'stageApplication.status as applicationStatus'])
    .where('correctionRequest.answeredAt', 'is', null)
    .where('stageApplication.status', 'in', ['correction_requested', 'accepted']);
  if (applicationId) q = q.where('correctionRequest.applicationId', '=', applicationId);
  return q.orderBy('correctionRequest.dueDate').execute();
}

export function markCorrectionReminded(trx: Transaction<DB>, id: string, at: Date) {
  return trx
    .updateTable('correctionRequest')
    .set({ remindedAt: at })
    .where('id', '=', id)
    .where('remindedAt', 'is', null)
    .executeTakeFirst();
}

/** 容缺 materials past their due date in running applications, with the enterprise (daily credit sweep). */
export function listOverdueDeficiencies(db: Db, today: string) {
  return db
    .selectFrom('deficiency')
    .innerJoin('stageApplication', 'stageApplication.id', 'deficiency.applicationId')
    .innerJoin('project', 'project.id', 'stageApplication.projectId')
    .select([
      'deficiency.applicationId',
      'deficiency.materialCode',
      'deficiency.dueDate',
      'project.enterpriseId',
      'project.code as projectCode',
    ])
    .where('deficiency.fulfilledAt', 'is', null)
    .where('deficiency.dueDate', '<', today)
    .where('stageApplication.status', 'in', ['accepted', 'completed'])
    .execute();
}
