/** The joint module's only SQL: organisations, reviewers, design firms and commitments, drawing reviews,
 * joint acceptances and utility cases. */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema';
import type {
  DesignCommitmentTable,
  DesignFirmTable,
  DrawingReviewSectionTable,
  DrawingReviewTable,
  JointAcceptanceSignoffTable,
  JointAcceptanceTable,
  JointOrganisationTable,
  JointReviewerTable,
  MergedAssessmentConclusionTable,
  MergedAssessmentItemTable,
  MergedAssessmentMeetingTable,
  MergedAssessmentTable,
  SchemeReviewOpinionTable,
  SchemeReviewTable,
  UtilityCaseTable,
} from './joint.tables';

type Db = Kysely<DB> | Transaction<DB>;

// Organisations and reviewers ------------------------------------------------------------------------

export function insertOrganisation(trx: Db, row: Insertable<JointOrganisationTable>) {
  return trx.insertInto('jointOrganisation').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOrganisation(db: Db, id: string) {
  return db.selectFrom('jointOrganisation').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listOrganisations(db: Db, kind?: 'drawing_review' | 'survey' | 'assessment') {
  let q = db.selectFrom('jointOrganisation').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('createdAt').execute();
}

export function upsertReviewer(trx: Db, row: Insertable<JointReviewerTable>) {
  return trx
    .insertInto('jointReviewer')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['organisationId', 'userId']).doUpdateSet({
        sections: row.sections,
        qualification: row.qualification,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findReviewer(db: Db, organisationId: string, userId: string) {
  return db
    .selectFrom('jointReviewer')
    .selectAll()
    .where('organisationId', '=', organisationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export function listReviewers(db: Db, organisationId: string) {
  return db
    .selectFrom('jointReviewer')
    .select(['userId', 'sections', 'qualification'])
    .where('organisationId', '=', organisationId)
    .execute();
}

// Design firms and commitments -----------------------------------------------------------------------

export function insertDesignFirm(trx: Db, row: Insertable<DesignFirmTable>) {
  return trx.insertInto('designFirm').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findDesignFirm(db: Db, id: string) {
  return db.selectFrom('designFirm').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDesignFirmByCode(db: Db, creditCode: string) {
  return db.selectFrom('designFirm').selectAll().where('creditCode', '=', creditCode).executeTakeFirst();
}

export function listDesignFirms(db: Db) {
  return db.selectFrom('designFirm').selectAll().orderBy('name').execute();
}

export function updateDesignFirm(trx: Db, id: string, set: Updateable<DesignFirmTable>) {
  return trx.updateTable('designFirm').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

export function insertCommitment(trx: Db, row: Insertable<DesignCommitmentTable>) {
  return trx.insertInto('designCommitment').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The project's commitment in force with its firm as registered now. */
export function findCommitmentInForce(db: Db, projectId: string) {
  return db
    .selectFrom('designCommitment')
    .innerJoin('designFirm', 'designFirm.id', 'designCommitment.designFirmId')
    .selectAll('designCommitment')
    .select([
      'designFirm.name as firmName',
      'designFirm.creditCode as firmCreditCode',
      'designFirm.grade',
      'designFirm.qualificationExpires',
    ])
    .where('designCommitment.projectId', '=', projectId)
    .where('designCommitment.revokedAt', 'is', null)
    .executeTakeFirst();
}

export function findCommitment(db: Db, id: string) {
  return db
    .selectFrom('designCommitment')
    .innerJoin('designFirm', 'designFirm.id', 'designCommitment.designFirmId')
    .selectAll('designCommitment')
    .select(['designFirm.name as firmName', 'designFirm.creditCode as firmCreditCode'])
    .where('designCommitment.id', '=', id)
    .executeTakeFirst();
}

export function listCommitments(db: Db, projectId: string) {
  return db
    .selectFrom('designCommitment')
    .innerJoin('designFirm', 'designFirm.id', 'designCommitment.designFirmId')
    .selectAll('designCommitment')
    .select(['designFirm.name as firmName', 'designFirm.creditCode as firmCreditCode'])
    .where('designCommitment.projectId', '=', projectId)
    .orderBy('designCommitment.signedAt', 'desc')
    .execute();
}

export function listCommitmentsInForce(db: Db, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('designCommitment')
    .innerJoin('designFirm', 'designFirm.id', 'designCommitment.designFirmId')
    .selectAll('designCommitment')
    .select(['designFirm.name as firmName', 'designFirm.creditCode as firmCreditCode'])
    .where('designCommitment.projectId', 'in', [...projectIds])
    .where('designCommitment.revokedAt', 'is', null)
    .orderBy('designCommitment.signedAt', 'desc')
    .execute();
}

export function revokeCommitment(trx: Db, id: string, at: Date, reason: string) {
  return trx
    .updateTable('designCommitment')
    .set({ revokedAt: at, revokedReason: reason })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}

// Drawing reviews ------------------------------------------------------------------------------------

export function insertReview(trx: Db, row: Insertable<DrawingReviewTable>) {
  return trx.insertInto('drawingReview').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockReview(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('drawingReview').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findReview(db: Db, id: string) {
  return db.selectFrom('drawingReview').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findActiveReviewOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('drawingReview')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('status', '<>', 'revoked')
    .executeTakeFirst();
}

/** A revoked review of the task (its conclusion was withdrawn: the drawings may be reviewed again). */
export function findRevokedReviewOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('drawingReview')
    .select('id')
    .where('taskId', '=', taskId)
    .where('status', '=', 'revoked')
    .executeTakeFirst();
}

export function listReviews(db: Db, filter: { organisationIds?: string[]; projectId?: string }) {
  let q = db
    .selectFrom('drawingReview')
    .innerJoin('project', 'project.id', 'drawingReview.projectId')
    .innerJoin('jointOrganisation', 'jointOrganisation.id', 'drawingReview.organisationId')
    .selectAll('drawingReview')
    .select([
      'project.code as projectCode',
      'project.name as projectName',
      'jointOrganisation.name as organisationName',
    ]);
  if (filter.organisationIds) {
    if (filter.organisationIds.length === 0) return Promise.resolve([]);
    q = q.where('drawingReview.organisationId', 'in', filter.organisationIds);
  }
  if (filter.projectId) q = q.where('drawingReview.projectId', '=', filter.projectId);
  return q.orderBy('drawingReview.openedAt', 'desc').limit(200).execute();
}

export function listReviewerOrganisations(db: Db, userId: string) {
  return db.selectFrom('jointReviewer').select('organisationId').where('userId', '=', userId).execute();
}

export function updateReview(trx: Db, id: string, version: number, set: Updateable<DrawingReviewTable>) {
  return trx
    .updateTable('drawingReview')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function insertSection(trx: Db, row: Insertable<DrawingReviewSectionTable>) {
  return trx.insertInto('drawingReviewSection').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listSections(db: Db, reviewId: string) {
  return db
    .selectFrom('drawingReviewSection')
    .selectAll()
    .where('reviewId', '=', reviewId)
    .orderBy('round')
    .orderBy('decidedAt')
    .execute();
}

/** Active (not revoked) reviews of a project. */
export function listProjectReviews(db: Db, projectId: string) {
  return db
    .selectFrom('drawingReview')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('status', '<>', 'revoked')
    .execute();
}

// Joint acceptance -----------------------------------------------------------------------------------

export function insertAcceptance(trx: Db, row: Insertable<JointAcceptanceTable>) {
  return trx.insertInto('jointAcceptance').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockAcceptance(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('jointAcceptance').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findAcceptance(db: Db, id: string) {
  return db.selectFrom('jointAcceptance').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOpenAcceptanceOfApplication(db: Db, applicationId: string) {
  return db
    .selectFrom('jointAcceptance')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .where('status', '<>', 'failed')
    .executeTakeFirst();
}

export function listAcceptances(db: Db) {
  return db
    .selectFrom('jointAcceptance')
    .innerJoin('project', 'project.id', 'jointAcceptance.projectId')
    .selectAll('jointAcceptance')
    .select(['project.code as projectCode', 'project.name as projectName'])
    .orderBy('jointAcceptance.openedAt', 'desc')
    .limit(200)
    .execute();
}

export function updateAcceptance(trx: Db, id: string, set: Updateable<JointAcceptanceTable>) {
  return trx.updateTable('jointAcceptance').set(set).where('id', '=', id).execute();
}

export function insertSignoff(trx: Db, row: Insertable<JointAcceptanceSignoffTable>) {
  return trx.insertInto('jointAcceptanceSignoff').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listSignoffs(db: Db, acceptanceId: string) {
  return db
    .selectFrom('jointAcceptanceSignoff')
    .selectAll()
    .where('acceptanceId', '=', acceptanceId)
    .orderBy('signedAt')
    .execute();
}

// Utilities ------------------------------------------------------------------------------------------

export function listProjectUtilityCases(db: Db, projectId: string) {
  return db
    .selectFrom('utilityCase')
    .selectAll()
    .where('projectId', '=', projectId)
    .orderBy('utility')
    .execute();
}

/** Creates the project's case of a utility if it does not exist yet; returns it locked. */
export async function ensureUtilityCase(trx: Transaction<DB>, projectId: string, utility: string) {
  await trx
    .insertInto('utilityCase')
    .values({ projectId, utility, status: 'pending', facts: null })
    .onConflict((oc) => oc.columns(['projectId', 'utility']).doNothing())
    .execute();
  return trx
    .selectFrom('utilityCase')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('utility', '=', utility)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function listUtilityCasesOfApplication(trx: Transaction<DB>, applicationId: string) {
  return trx
    .selectFrom('utilityCase')
    .selectAll()
    .where('applicationId', '=', applicationId)
    .forUpdate()
    .execute();
}

export function lockUtilityCase(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('utilityCase').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateUtilityCase(trx: Db, id: string, set: Updateable<UtilityCaseTable>) {
  return trx.updateTable('utilityCase').set(set).where('id', '=', id).execute();
}

export function listUtilityDesk(db: Db, utility?: string) {
  let q = db
    .selectFrom('utilityCase')
    .innerJoin('project', 'project.id', 'utilityCase.projectId')
    .selectAll('utilityCase')
    .select(['project.code as projectCode', 'project.name as projectName'])
    .where('utilityCase.status', '<>', 'pending');
  if (utility) q = q.where('utilityCase.utility', '=', utility);
  return q.orderBy('utilityCase.notifiedAt', 'desc').limit(500).execute();
}

export function insertUtilityWork(
  trx: Db,
  row: { caseId: string; note: string; recordedBy: string; recordedAt: Date },
) {
  return trx.insertInto('utilityWork').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listUtilityWorks(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('utilityWork')
    .selectAll()
    .where('caseId', 'in', caseIds)
    .orderBy('recordedAt')
    .execute();
}

export function listAllUtilityCases(db: Db) {
  return db.selectFrom('utilityCase').selectAll().where('status', '<>', 'pending').execute();
}

export function lockCommitment(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('designCommitment')
    .select(['id', 'projectId'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

// 方案联审 -------------------------------------------------------------------------------------------

export function insertSchemeReview(trx: Db, row: Insertable<SchemeReviewTable>) {
  return trx.insertInto('schemeReview').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockSchemeReview(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('schemeReview').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findSchemeReview(db: Db, id: string) {
  return db.selectFrom('schemeReview').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLiveSchemeReviewOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('schemeReview')
    .selectAll()
    .where('taskId', '=', taskId)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirst();
}

export function updateSchemeReview(trx: Db, id: string, version: number, set: Updateable<SchemeReviewTable>) {
  return trx
    .updateTable('schemeReview')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function insertOpinions(trx: Db, rows: Insertable<SchemeReviewOpinionTable>[]) {
  return trx.insertInto('schemeReviewOpinion').values(rows).execute();
}

export function listOpinions(db: Db, reviewId: string) {
  return db
    .selectFrom('schemeReviewOpinion')
    .selectAll('schemeReviewOpinion')
    .where('schemeReviewOpinion.reviewId', '=', reviewId)
    .orderBy('schemeReviewOpinion.round')
    .orderBy('schemeReviewOpinion.departmentCode')
    .execute();
}

/** Records an answer once (a second answer of the same round updates nothing). */
export function answerOpinion(
  trx: Db,
  key: { reviewId: string; round: number; departmentCode: string },
  set: {
    answer: 'agree' | 'agree_with_conditions' | 'disagree';
    opinion: string | null;
    answeredBy: string;
    answeredAt: Date;
  },
) {
  return trx
    .updateTable('schemeReviewOpinion')
    .set(set)
    .where('reviewId', '=', key.reviewId)
    .where('round', '=', key.round)
    .where('departmentCode', '=', key.departmentCode)
    .where('answer', 'is', null)
    .executeTakeFirst();
}

/** Scheme reviews for a desk: of a project, of the planning department, or asking a department. */
export function listSchemeReviews(db: Db, filter: { projectId?: string; departmentCode?: string }) {
  let q = db
    .selectFrom('schemeReview')
    .innerJoin('project', 'project.id', 'schemeReview.projectId')
    .innerJoin('itemTask', 'itemTask.id', 'schemeReview.taskId')
    .selectAll('schemeReview')
    .select([
      'project.code as projectCode',
      'project.name as projectName',
      'project.enterpriseId',
      'itemTask.departmentCode as planningDepartmentCode',
    ])
    .where('schemeReview.status', '<>', 'withdrawn');
  if (filter.projectId) q = q.where('schemeReview.projectId', '=', filter.projectId);
  if (filter.departmentCode) {
    const code = filter.departmentCode;
    q = q.where((eb) =>
      eb.or([
        eb('itemTask.departmentCode', '=', code),
        eb.exists(
          eb
            .selectFrom('schemeReviewOpinion')
            .select('schemeReviewOpinion.reviewId')
            .whereRef('schemeReviewOpinion.reviewId', '=', 'schemeReview.id')
            .where('schemeReviewOpinion.departmentCode', '=', code),
        ),
      ]),
    );
  }
  return q.orderBy('schemeReview.openedAt', 'desc').limit(500).execute();
}

// 多评合一 -------------------------------------------------------------------------------------------

export function insertMergedAssessment(trx: Db, row: Insertable<MergedAssessmentTable>) {
  return trx.insertInto('mergedAssessment').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockMergedAssessment(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('mergedAssessment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findMergedAssessment(db: Db, id: string) {
  return db.selectFrom('mergedAssessment').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateMergedAssessment(
  trx: Db,
  id: string,
  version: number,
  set: Updateable<MergedAssessmentTable>,
) {
  return trx
    .updateTable('mergedAssessment')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function insertAssessmentItems(trx: Db, rows: Insertable<MergedAssessmentItemTable>[]) {
  return trx.insertInto('mergedAssessmentItem').values(rows).execute();
}

export function listAssessmentItems(db: Db, assessmentId: string) {
  return db
    .selectFrom('mergedAssessmentItem')
    .selectAll()
    .where('assessmentId', '=', assessmentId)
    .orderBy('itemCode')
    .execute();
}

/** The live assessment covering a task, if any (its item is then decided by the assessment's review). */
export function findLiveAssessmentOfTask(db: Db, taskId: string) {
  return db
    .selectFrom('mergedAssessmentItem')
    .select(['assessmentId', 'itemCode'])
    .where('taskId', '=', taskId)
    .where('live', '=', true)
    .executeTakeFirst();
}

export function releaseAssessmentItems(trx: Db, assessmentId: string) {
  return trx
    .updateTable('mergedAssessmentItem')
    .set({ live: false })
    .where('assessmentId', '=', assessmentId)
    .execute();
}

/** The covered task ended on its own: its part is void (and no longer holds the task). */
export function endAssessmentItem(trx: Db, assessmentId: string, taskId: string, at: Date, reason: string) {
  return trx
    .updateTable('mergedAssessmentItem')
    .set({ live: false, endedAt: at, endedReason: reason })
    .where('assessmentId', '=', assessmentId)
    .where('taskId', '=', taskId)
    .execute();
}

export function insertMeeting(trx: Db, row: Insertable<MergedAssessmentMeetingTable>) {
  return trx.insertInto('mergedAssessmentMeeting').values(row).execute();
}

export function listMeetings(db: Db, assessmentId: string) {
  return db
    .selectFrom('mergedAssessmentMeeting')
    .selectAll()
    .where('assessmentId', '=', assessmentId)
    .orderBy('round')
    .execute();
}

export function insertConclusion(trx: Db, row: Insertable<MergedAssessmentConclusionTable>) {
  return trx.insertInto('mergedAssessmentConclusion').values(row).execute();
}

export function listConclusions(db: Db, assessmentId: string) {
  return db
    .selectFrom('mergedAssessmentConclusion')
    .selectAll('mergedAssessmentConclusion')
    .where('mergedAssessmentConclusion.assessmentId', '=', assessmentId)
    .orderBy('mergedAssessmentConclusion.round')
    .orderBy('mergedAssessmentConclusion.itemCode')
    .execute();
}

/** Assessments for a desk: of a project, or covering a department's items. */
export function listMergedAssessments(db: Db, filter: { projectId?: string; departmentCode?: string }) {
  let q = db
    .selectFrom('mergedAssessment')
    .innerJoin('project', 'project.id', 'mergedAssessment.projectId')
    .selectAll('mergedAssessment')
    .select(['project.code as projectCode', 'project.name as projectName', 'project.enterpriseId']);
  if (filter.projectId) q = q.where('mergedAssessment.projectId', '=', filter.projectId);
  if (filter.departmentCode) {
    const code = filter.departmentCode;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('mergedAssessmentItem')
          .select('mergedAssessmentItem.assessmentId')
          .whereRef('mergedAssessmentItem.assessmentId', '=', 'mergedAssessment.id')
          .where('mergedAssessmentItem.departmentCode', '=', code),
      ),
    );
  }
  return q.orderBy('mergedAssessment.openedAt', 'desc').limit(500).execute();
}
