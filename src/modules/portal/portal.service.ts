/**
 * 公众门户 (issue 14; tasks 54, 56): what an anonymous visitor may read and do. Guides per project type and
 * stage, a project's progress by project code + query code (personal data masked), 批后公开 of issued
 * certificates, certificate verification by printed identifier or QR id, and 咨询辅导.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { beijingDate } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import { listIssuedCertificates, verifyCertificate } from '../certificates/certificate.service';
import { listDepartments } from '../identity/identity.service';
import type { Actor } from '../identity/identity.rules';
import { materialCodesByName, mergeForm, stageMaterialSet } from '../projects/guide.rules';
import { itemsByCode, projectByCode, projectStage, visibleProject } from '../projects/project.service';
import { resolveAttributes } from '../projects/project.rules';
import * as templateService from '../templates/template.service';
import type { ClockDeps } from '../supervision/clock.service';
import * as repo from './portal.repository';
import {
  CONSULTATION_ANSWER_WORKING_DAYS,
  consultationOverdue,
  hashCode,
  maskName,
  newSecretCode,
  normaliseCode,
} from './portal.rules';
import { issueQueryCode, queryCodeMatches } from './query-code.service';

// ---------------------------------------------------------------------------------------------
// 办事指南

/** Every current process type with its stages (what the visitor picks a guide from). */
export async function guideIndex(db: Kysely<DB>) {
  const templates = await templateService.listTemplates(db);
  return templates.map((t) => ({
    code: t.code,
    name: t.name,
    totalWorkingDays: t.totalWorkingDays,
    stages: t.stages.map((s) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      timeLimitWorkingDays: s.timeLimitWorkingDays,
      itemCount: s.items.length,
    })),
  }));
}

/**
 * One stage's guide for a process type: every item with its department and promised limit (those
 * applying only in some cases say so), the one material list and the one form over all items, and the
 * stage limit for a typical project of the type. The flowchart is the template's SVG (flowchartUrl).
 */
export async function stageGuide(db: Kysely<DB>, templateCode: string, n: number) {
  const def = await templateService.findCurrentDefinition(db, templateCode);
  if (!def) throw notFound('审批流程 template', templateCode);
  const stage = def.stages.find((s) => s.nationalStage === n || s.mergedStages.includes(n));
  if (!stage) throw notFound(`审批流程 ${def.code} 的阶段 stage`, n);
  const [catalog, departments] = await Promise.all([itemsByCode(db), listDepartments(db)]);
  const departmentName = new Map(departments.map((d) => [d.code, d.name]));
  const items = stage.items
    .map((ti) => ({ ti, item: catalog.get(ti.itemCode) }))
    .filter((x) => x.item !== undefined && x.item.status === 'active')
    .map((x) => ({ ti: x.ti, item: x.item! }));
  const typical = resolveAttributes(def, {}, { totalInvestment: 0, withinRegionalAssessment: false });
  const { timeLimitWorkingDays } = projectStage(stage, typical.attributes, catalog);
  const { needs } = stageMaterialSet(
    items.map((x) => x.item),
    materialCodesByName(catalog.values()),
  );
  return {
    template: { code: def.code, name: def.name, version: def.version },
    stage: {
      nationalStage: stage.nationalStage,
      name: stage.name,
      leadDepartmentCode: stage.leadDepartmentCode,
      leadDepartmentName: departmentName.get(stage.leadDepartmentCode) ?? stage.leadDepartmentCode,
      timeLimitWorkingDays,
    },
    items: items.map(({ ti, item }) => ({
      code: item.code,
      name: item.name,
      departmentCode: item.departmentCode,
      departmentName: departmentName.get(item.departmentCode) ?? item.departmentCode,
      promisedTimeLimitDays: item.promisedTimeLimitDays,
      legalTimeLimitDays: item.legalTimeLimitDays,
      conditional: ti.condition !== null,
      commitmentAllowed: item.commitmentAllowed,
      resultDocumentType: item.resultDocumentType,
    })),
    materials: needs.map((m) => ({
      code: m.code,
      name: m.name,
      required: m.required,
      deficiencyAllowed: m.deficiencyAllowed,
      items: m.items,
    })),
    form: mergeForm(items.map((x) => x.item)) as unknown as Record<string, unknown>,
    flowchartUrl: `/api/process-templates/${encodeURIComponent(def.code)}/flowchart.svg`,
  };
}

// ---------------------------------------------------------------------------------------------
// 办理进度

const WRONG_CODE = () =>
  new DomainError('NOT_FOUND', '项目代码或查询码不正确 (no project with this code and query code)', {
    field: 'body.queryCode',
  });

/**
 * A project's progress for the public: found only with the right query code (the same answer for an
 * unknown project and a wrong code: nothing to enumerate). People's names are masked; the enterprise
 * name is public (it is on every certificate).
 */
export async function progress(db: Kysely<DB>, deps: ClockDeps, projectCode: string, queryCode: string) {
  const view = await projectByCode(db, projectCode.trim(), deps);
  if (!view || !(await queryCodeMatches(db, view.id, normaliseCode(queryCode)))) throw WRONG_CODE();
  const departments = new Map((await listDepartments(db)).map((d) => [d.code, d.name]));
  return {
    code: view.code,
    name: view.name,
    enterpriseName: maskName(view.enterpriseName),
    districtCode: view.districtCode,
    registeredOn: beijingDate(new Date(view.createdAt)),
    stages: view.stages.map((s) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      status: s.status,
      timeLimitWorkingDays: s.timeLimitWorkingDays,
      items: s.tasks.map((t) => ({
        itemCode: t.itemCode,
        itemName: t.itemName,
        departmentName: departments.get(t.departmentCode) ?? t.departmentCode,
        status: t.status,
        deadline: t.clock?.deadline ?? t.deadline,
        remainingWorkingDays: t.clock?.remainingWorkingDays ?? null,
        overdueWorkingDays: t.clock?.overdueWorkingDays ?? null,
        paused: t.clock?.paused ?? false,
      })),
    })),
  };
}

/** A new query code for a project the actor may see (the old one stops working): a lost code has a way out. */
export async function reissueQueryCode(db: Kysely<DB>, actor: Actor, projectId: string, now: Date) {
  await visibleProject(db, actor, projectId);
  return db.transaction().execute(async (trx) => ({ queryCode: await issueQueryCode(trx, projectId, now) }));
}

// ---------------------------------------------------------------------------------------------
// 批后公开 and verification

export function disclosures(
  db: Kysely<DB>,
  filter: { projectCode?: string },
  page: { limit: number; offset: number },
) {
  return listIssuedCertificates(db, filter, page);
}

/** By the printed 证照标识 or the QR code's id: one verification, logged like the QR one. */
export function verify(db: Kysely<DB>, now: Date, input: string, clientAddress: string) {
  return verifyCertificate(db, now, input, clientAddress);
}

// ---------------------------------------------------------------------------------------------
// 咨询辅导 (task 56)

export const WINDOW_ROUTE = 'window';

export interface AskInput {
  routedTo: string;
  topic: string;
  question: string;
  askerName: string;
  askerContact: string;
}

function publicConsultation(row: repo.ConsultationRow, today: string) {
  return {
    id: row.id,
    routedTo: row.routedTo,
    topic: row.topic,
    question: row.question,
    askerName: maskName(row.askerName),
    askedAt: row.askedAt.toISOString(),
    dueOn: row.dueOn,
    status: row.status,
    overdue: consultationOverdue(row, today),
    answer: row.answer,
    answeredAt: row.answeredAt?.toISOString() ?? null,
    published: row.published,
  };
}

function staffConsultation(row: repo.ConsultationRow, today: string) {
  return { ...publicConsultation(row, today), askerName: row.askerName, askerContact: row.askerContact };
}

async function validRoute(db: Kysely<DB>, routedTo: string) {
  if (routedTo === WINDOW_ROUTE) return;
  const known = (await listDepartments(db)).some((d) => d.code === routedTo);
  if (!known)
    throw new DomainError(
      'VALIDATION_FAILED',
      `咨询对象 ${routedTo} 不存在：请选择综合窗口或一个审批部门 (unknown department)`,
      { field: 'body.routedTo' },
    );
}

/** A question to the window or a department, due within CONSULTATION_ANSWER_WORKING_DAYS working days. */
export async function ask(db: Kysely<DB>, calendar: CalendarProvider, now: Date, input: AskInput) {
  await validRoute(db, input.routedTo);
  const today = beijingDate(now);
  const { deadline } = (await calendar.get()).addWorkingDays(today, CONSULTATION_ANSWER_WORKING_DAYS);
  const ticket = newSecretCode(10);
  const row = await db.transaction().execute((trx) =>
    repo.insertConsultation(trx, {
      ...input,
      ticketHash: hashCode(ticket),
      askedAt: now,
      dueOn: deadline,
      status: 'open',
    }),
  );
  return { ...publicConsultation(row, today), ticket };
}

/** The asker reads the answer with the ticket shown when asking; a wrong ticket is the same 404. */
export async function readConsultation(db: Kysely<DB>, now: Date, id: string, ticket: string) {
  const row = await repo.findConsultation(db, id);
  if (!row || row.ticketHash !== hashCode(ticket)) throw notFound('咨询 consultation', id);
  return publicConsultation(row, beijingDate(now));
}

const answerers = ['window', 'reviewer', 'senior', 'head', 'coordinator', 'admin'] as const;

/** Which consultations a staff member answers: the window's (window role), their department's, or all (admin). */
function routesOf(actor: Actor): string[] | null {
  if (actor.role === 'admin' || actor.role === 'supervisor') return null;
  if (actor.role === 'window') return [WINDOW_ROUTE];
  return actor.departmentCode ? [actor.departmentCode] : [];
}

export function canAnswer(actor: Actor, routedTo: string): boolean {
  if (!(answerers as readonly string[]).includes(actor.role)) return false;
  const routes = routesOf(actor);
  return routes === null || routes.includes(routedTo);
}

export async function listForStaff(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  filter: { status?: string },
  page: { limit: number; offset: number },
) {
  const rows = await repo.listConsultations(db, { routes: routesOf(actor), ...filter }, page);
  const today = beijingDate(now);
  return rows.map((r) => staffConsultation(r, today));
}

/**
 * Answers (or corrects the answer of) a consultation routed to the actor; `publish` makes it a FAQ entry.
 * A closed one is refused. Concurrent answers: the row lock makes the second see the first.
 */
export async function answer(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: { answer: string; publish: boolean },
) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockConsultation(trx, id);
    if (!row) throw notFound('咨询 consultation', id);
    if (!canAnswer(actor, row.routedTo))
      throw new DomainError('FORBIDDEN_SCOPE', '该咨询不由本窗口或本部门答复 (routed elsewhere)');
    if (row.status === 'closed')
      throw new DomainError('CONFLICT_STATE', '咨询已关闭，不能再答复 (consultation is closed)');
    const updated = await repo.updateConsultation(trx, id, row.version, {
      status: 'answered',
      answer: input.answer,
      answeredAt: now,
      answeredBy: actor.userId,
      published: input.publish,
    });
    if (!updated) throw new DomainError('CONFLICT_STATE', '咨询已被他人修改，请刷新 (changed meanwhile)');
    return staffConsultation(updated, beijingDate(now));
  });
}

/** Publishes or withdraws an answered consultation from the FAQ, or closes it (spam, duplicate). */
export async function setConsultationState(
  db: Kysely<DB>,
  actor: Actor,
  now: Date,
  id: string,
  input: { published?: boolean; close?: boolean },
) {
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockConsultation(trx, id);
    if (!row) throw notFound('咨询 consultation', id);
    if (!canAnswer(actor, row.routedTo))
      throw new DomainError('FORBIDDEN_SCOPE', '该咨询不由本窗口或本部门答复 (routed elsewhere)');
    if (input.published && row.answer === null)
      throw new DomainError('CONFLICT_STATE', '尚未答复的咨询不能公开 (no answer to publish)', {
        field: 'body.published',
      });
    const updated = await repo.updateConsultation(trx, id, row.version, {
      ...(input.published !== undefined ? { published: input.published } : {}),
      ...(input.close ? { status: 'closed' as const } : {}),
    });
    if (!updated) throw new DomainError('CONFLICT_STATE', '咨询已被他人修改，请刷新 (changed meanwhile)');
    return staffConsultation(updated, beijingDate(now));
  });
}

export async function faq(db: Kysely<DB>, page: { limit: number; offset: number }, topic?: string) {
  const rows = await repo.listFaq(db, page, topic);
  return rows.map((r) => ({
    id: r.id,
    routedTo: r.routedTo,
    topic: r.topic,
    question: r.question,
    answer: r.answer!,
    answeredOn: beijingDate(r.answeredAt!),
  }));
}
