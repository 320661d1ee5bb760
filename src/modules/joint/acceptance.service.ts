/**
 * 联合验收 (task 36): one joint acceptance on the stage-4 application, with the joint survey report (from a
 * registered surveying organisation) and the test reports as shared inputs. Planning, construction
 * quality, land, fire, civil air defence and archives sign off on it in parallel, from those reports,
 * without site inspections; when all six pass, one 联合验收意见书 and the 竣工验收备案 certificate follow.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Clock } from '../../shared/clock';
import { DomainError, notFound } from '../../shared/errors';
import { applicationFacts, approveByJointResult } from '../approvals/joint-result.service';
import { applicationStateNames } from '../approvals/lifecycle.rules';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Actor } from '../identity/identity.rules';
import * as repo from './joint.repository';
import { withUserNames } from './people';
import {
  acceptanceOutcome,
  COMPLETION_FILING_ITEM,
  JOINT_ACCEPTANCE_ITEM,
  signOffAreaCodes,
  signOffAreas,
  type SignOffArea,
  acceptanceStateNames,
} from './joint.rules';

interface Deps {
  clock: Clock;
}

export async function openJointAcceptance(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  input: {
    applicationId: string;
    surveyOrganisationId: string;
    surveyReportNumber: string;
    testReports: string[];
  },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const { app, project, tasks } = await applicationFacts(trx, input.applicationId);
    const own = actor.role === 'applicant' ? actor.enterpriseId === project.enterpriseId : true;
    if (!own) throw new DomainError('FORBIDDEN_SCOPE', '只能为本单位的项目申请联合验收 (not your project)');
    if (app.stage !== 4 || !tasks.some((t) => t.itemCode === JOINT_ACCEPTANCE_ITEM))
      throw new DomainError(
        'RULE_VIOLATION',
        '联合验收在竣工验收阶段的申报上办理 (not a 竣工验收 application)',
        {
          field: 'body.applicationId',
        },
      );
    if (app.status !== 'accepted')
      throw new DomainError(
        'CONFLICT_STATE',
        `申报当前为「${applicationStateNames[app.status]}」，不能联合验收 (application not accepted)`,
      );
    const org = await repo.findOrganisation(trx, input.surveyOrganisationId);
    if (!org || org.kind !== 'survey')
      throw new DomainError(
        'RULE_VIOLATION',
        '联合测绘须由登记的测绘机构出具 (not a registered surveying organisation)',
        {
          field: 'body.surveyOrganisationId',
        },
      );
    if (await repo.findOpenAcceptanceOfApplication(trx, app.id))
      throw new DomainError('CONFLICT_DUPLICATE', '该申报已有联合验收 (a joint acceptance is already open)');
    const row = await repo.insertAcceptance(trx, {
      applicationId: app.id,
      projectId: project.id,
      surveyOrganisationId: org.id,
      surveyReportNumber: input.surveyReportNumber.trim(),
      testReports: input.testReports.map((t) => t.trim()).filter((t) => t !== ''),
      status: 'in_review',
      openedBy: actor.userId,
      openedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'joint.acceptance_opened',
      objectType: 'joint_acceptance',
      objectId: row.id,
      toState: 'in_review',
      detail: {
        applicationId: app.id,
        surveyOrganisationId: org.id,
        surveyReportNumber: row.surveyReportNumber,
      },
    });
    return acceptanceView(trx, row.id);
  });
}

export async function signOff(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  acceptanceId: string,
  input: { area: SignOffArea; outcome: 'pass' | 'fail'; opinion: string },
) {
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const acceptance = await repo.lockAcceptance(trx, acceptanceId);
    if (!acceptance) throw notFound('联合验收 joint acceptance', acceptanceId);
    const area = signOffAreas[input.area];
    if (actor.departmentCode !== area.departmentCode || !['reviewer', 'senior', 'head'].includes(actor.role))
      throw new DomainError(
        'FORBIDDEN_SCOPE',
        `${area.name}意见须由${area.departmentCode}部门人员签署 (another department’s sign-off)`,
      );
    if (acceptance.status !== 'in_review')
      throw new DomainError(
        'CONFLICT_STATE',
        `联合验收当前为「${acceptanceStateNames[acceptance.status]}」，不能签署 (acceptance not in progress)`,
      );
    const signed = await repo.listSignoffs(trx, acceptance.id);
    if (signed.some((s) => s.area === input.area))
      throw new DomainError('CONFLICT_STATE', `${area.name}意见已签署 (already signed off)`);
    const after = acceptanceOutcome([...signed, { area: input.area, outcome: input.outcome }]);
    await repo.insertSignoff(trx, {
      acceptanceId: acceptance.id,
      area: input.area,
      departmentCode: area.departmentCode,
      outcome: input.outcome,
      opinion: input.opinion.trim(),
      signedBy: actor.userId,
      signedAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: `joint.signoff_${input.outcome}`,
      objectType: 'joint_acceptance',
      objectId: acceptance.id,
      fromState: 'in_review',
      toState: after === 'open' ? 'in_review' : after,
      reason: input.opinion,
      detail: { area: input.area },
    });
    if (after === 'failed')
      await repo.updateAcceptance(trx, acceptance.id, { status: 'failed', concludedAt: now });
    if (after === 'passed') await concludePassed(trx, actor, now, acceptance.id);
    return acceptanceView(trx, acceptance.id);
  });
}

async function concludePassed(trx: Transaction<DB>, actor: Actor, now: Date, acceptanceId: string) {
  const acceptance = (await repo.findAcceptance(trx, acceptanceId))!;
  const today = beijingDate(now);
  const number = `联合验收〔${today.slice(0, 4)}〕${acceptance.id.slice(0, 8).toUpperCase()}号`;
  await repo.updateAcceptance(trx, acceptance.id, {
    status: 'passed',
    concludedAt: now,
    opinionNumber: number,
  });
  await approveByJointResult(trx, actor, now, {
    projectId: acceptance.projectId,
    itemCodes: [
      ...new Set(signOffAreaCodes.flatMap((a) => signOffAreas[a].items)),
      JOINT_ACCEPTANCE_ITEM,
      COMPLETION_FILING_ITEM,
    ],
    opinion: `联合验收合格：规划、质量、土地、消防、人防、档案六方依据联合测绘报告 ${acceptance.surveyReportNumber} 及检测报告签署意见，未另行现场踏勘（任务36）`,
    document: (itemCode, title) => ({
      number: itemCode === JOINT_ACCEPTANCE_ITEM ? number : `${number}-${itemCode}`,
      title: itemCode === JOINT_ACCEPTANCE_ITEM ? '联合验收意见书' : title,
      date: today,
    }),
    procedure: 'joint_acceptance',
  });
}

export async function acceptanceView(db: Kysely<DB> | Transaction<DB>, id: string) {
  const row = await repo.findAcceptance(db, id);
  if (!row) throw notFound('联合验收 joint acceptance', id);
  const org = (await repo.findOrganisation(db, row.surveyOrganisationId))!;
  const signoffs = await withUserNames(
    db,
    await repo.listSignoffs(db, row.id),
    (s) => s.signedBy,
    'signerName',
  );
  const byArea = new Map(signoffs.map((s) => [s.area, s]));
  return {
    id: row.id,
    applicationId: row.applicationId,
    projectId: row.projectId,
    status: row.status,
    jointAcceptance: true,
    surveyOrganisation: { id: org.id, name: org.name },
    surveyReportNumber: row.surveyReportNumber,
    testReports: row.testReports,
    opinionNumber: row.opinionNumber,
    signoffs: signOffAreaCodes.map((a) => {
      const s = byArea.get(a);
      return {
        area: a,
        name: signOffAreas[a].name,
        departmentCode: signOffAreas[a].departmentCode,
        outcome: s?.outcome ?? null,
        opinion: s?.opinion ?? null,
        signerName: s?.signerName ?? null,
        signedAt: s?.signedAt.toISOString() ?? null,
      };
    }),
  };
}

export async function getJointAcceptance(db: Kysely<DB>, actor: Actor, id: string) {
  const view = await acceptanceView(db, id);
  const { project } = await applicationFacts(db, view.applicationId);
  if (actor.role === 'applicant' && actor.enterpriseId !== project.enterpriseId)
    throw new DomainError('FORBIDDEN_SCOPE', '无权查看该项目 (not your project)');
  return view;
}

export async function listJointAcceptances(db: Kysely<DB>, actor: Actor) {
  if (actor.role === 'applicant')
    throw new DomainError('FORBIDDEN_ROLE', '联合验收工作台供部门使用 (staff only)');
  const rows = await repo.listAcceptances(db);
  return {
    acceptances: await Promise.all(
      rows.map(async (r) => ({
        ...(await acceptanceView(db, r.id)),
        projectCode: r.projectCode,
        projectName: r.projectName,
      })),
    ),
  };
}
