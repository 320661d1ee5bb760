/**
 * Foresight (issue 17): predicted completion of running projects (P50 / P90 with their basis), learned
 * from completed tasks, simulated over each project's own template version. Read-only: nothing here
 * changes a project.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError } from '../../shared/errors';
import { mulberry32 } from '../../shared/random';
import type { Clock } from '../../shared/clock';
import { addDays, beijingDate, type WorkingCalendar } from '../calendar/calendar.rules';
import type { CalendarProvider } from '../calendar/calendar.service';
import type { Item } from '../catalog/catalog.schemas';
import type { Actor } from '../identity/identity.rules';
import { itemsByCode, visibleProject } from '../projects/project.service';
import { percentile } from '../supervision/supervision.rules';
import * as templates from '../templates/template.service';
import { blockersOf, itemOrder, type ItemOrder } from '../templates/template.rules';
import type { TemplateDefinition } from '../templates/template.schemas';
import {
  basisOf,
  buildGraph,
  entrySamplesOf,
  type Knowledge,
  type ProgressApplication,
  type ProgressTask,
} from './forecast.graph';
import * as repo from './forecast.repository';
import {
  dateOf,
  groupHistory,
  historyOf,
  seedOf,
  simulate,
  simulateOnce,
  type Distribution,
  type EntrySample,
} from './forecast.rules';
import type { ProjectForecast } from './forecast.schemas';

export interface ForecastDeps {
  clock: Clock;
  calendar: CalendarProvider;
}

/** History older than this is left out: limits and staffing change, recent cases say more. */
export const HISTORY_YEARS = 3;
export const WHOLE_PROCESS_TARGET_DAYS = 100;
/** The running projects listed at most (newest activity first). */
const LIST_LIMIT = 200;

/** Template versions by code@version, read once per use. */
export function definitionCache(db: Kysely<DB>) {
  const cache = new Map<string, Promise<TemplateDefinition | undefined>>();
  return (code: string, version: number) => {
    const key = `${code}@${version}`;
    let found = cache.get(key);
    if (!found) {
      found = templates.findDefinitionVersion(db, code, version);
      cache.set(key, found);
    }
    return found;
  };
}

/** What the approvals' history teaches: durations per item+department, entry delays per stage. */
export async function loadKnowledge(
  db: Kysely<DB>,
  calendar: WorkingCalendar,
  today: string,
  definition = definitionCache(db),
): Promise<Knowledge> {
  const tasks = await repo.approvedTasks(db, addDays(today, -365 * HISTORY_YEARS));
  const ids = [...new Set(tasks.map((t) => t.projectId))];
  const [projects, applications] = await Promise.all([repo.projects(db, ids), repo.applications(db, ids)]);
  const orders = new Map<string, ItemOrder>();
  const entries = new Map<number, EntrySample[]>();
  const appsOf = groupBy(applications, (a) => a.projectId);
  for (const p of projects) {
    const def = await definition(p.templateCode, p.templateVersion);
    if (!def) continue;
    orders.set(p.id, itemOrder(def, p.attributes));
    for (const { nationalStage, sample } of entrySamplesOf(calendar, def, appsOf.get(p.id) ?? [])) {
      const list = entries.get(nationalStage) ?? [];
      list.push(sample);
      entries.set(nationalStage, list);
    }
  }
  const history = historyOf(calendar, tasks, (projectId, code) => {
    const order = orders.get(projectId);
    return order ? blockersOf(order, code) : [];
  });
  return { tasks: groupHistory(history), entries };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k) ?? [];
    list.push(r);
    out.set(k, list);
  }
  return out;
}

interface ProjectInput {
  id: string;
  code: string;
  name: string;
  templateCode: string;
  attributes: repo.ProjectRow['attributes'];
}

/**
 * The forecast of one project from its progress and the knowledge: the graph is simulated with a seed
 * from the project and the day (a reload shows the same dates; tomorrow's forecast moves on).
 */
export function forecastOf(
  calendar: WorkingCalendar,
  today: string,
  project: ProjectInput,
  def: TemplateDefinition,
  catalog: ReadonlyMap<string, Item>,
  knowledge: Knowledge,
  applications: readonly ProgressApplication[],
  tasks: readonly ProgressTask[],
): ProjectForecast {
  const progress = { applications, tasks };
  const graph = buildGraph(calendar, today, def, project.attributes, catalog, knowledge, progress);
  const seed = seedOf(`${project.id}|${today}`);
  const forecast = simulate(graph, { seed });
  const naiveGraph = buildGraph(calendar, today, def, project.attributes, catalog, knowledge, progress, {
    promisedOnly: true,
  });
  const naive = simulateOnce(naiveGraph, mulberry32(seed)).project;

  const mainIndexes = graph.stages.flatMap((s, i) => (s.mainLine ? [i] : []));
  const finished = mainIndexes.every((i) => graph.stages[i]!.state === 'done');
  const acceptedOn = applications
    .filter((a) => a.acceptedOn !== null && a.stage !== 5)
    .map((a) => a.acceptedOn!)
    .sort();
  const startedOn = acceptedOn[0] ?? null;
  const doneOn = (i: number) => {
    const stage = def.stages[i]!;
    const covers = new Set([stage.nationalStage, ...stage.mergedStages]);
    return applications.find((a) => covers.has(a.stage) && a.status === 'completed')?.completedOn ?? null;
  };
  const lastDone = finished
    ? (mainIndexes
        .map(doneOn)
        .filter((d): d is string => !!d)
        .sort()
        .at(-1) ?? today)
    : null;
  const at = (offset: number, known: string | null) => known ?? dateOf(calendar, today, offset);
  const dist = (d: Distribution, known: string | null = null) => ({
    p50WorkingDays: known ? 0 : d.p50,
    p90WorkingDays: known ? 0 : d.p90,
    meanWorkingDays: known ? 0 : d.mean,
    p50Date: at(d.p50, known),
    p90Date: at(d.p90, known),
    histogram: known ? [] : d.histogram.map((h) => ({ ...h, date: dateOf(calendar, today, h.workingDays) })),
  });
  const elapsed = startedOn ? Math.max(0, calendar.workingDaysBetween(startedOn, lastDone ?? today)) : 0;
  const pending = graph.items.filter((i) => i.state !== 'done');

  return {
    projectId: project.id,
    projectCode: project.code,
    projectName: project.name,
    templateCode: project.templateCode,
    asOf: today,
    runs: forecast.runs,
    seed,
    finished,
    basis: finished ? 'known' : basisOf(pending.map((i) => i.model)),
    startedOn,
    completion: dist(forecast.project, lastDone),
    wholeProcess: {
      elapsedWorkingDays: elapsed,
      p50WorkingDays: finished ? elapsed : elapsed + forecast.project.p50,
      p90WorkingDays: finished ? elapsed : elapsed + forecast.project.p90,
      targetWorkingDays: WHOLE_PROCESS_TARGET_DAYS,
    },
    naive: { date: lastDone ?? dateOf(calendar, today, naive), workingDays: finished ? 0 : naive },
    stages: graph.stages.map((s, i) => {
      const known = s.state === 'done' ? doneOn(i) : null;
      const d = dist(forecast.stages[i]!, known);
      const open = pending.filter((item) => item.stage === i);
      return {
        nationalStage: s.nationalStage,
        name: s.name,
        mainLine: s.mainLine,
        state: s.state,
        doneOn: known,
        basis:
          s.state === 'done'
            ? ('known' as const)
            : basisOf([...open.map((item) => item.model), ...(s.state === 'future' ? [s.entry] : [])]),
        p50WorkingDays: d.p50WorkingDays,
        p90WorkingDays: d.p90WorkingDays,
        p50Date: d.p50Date,
        p90Date: d.p90Date,
      };
    }),
    items: graph.items.map((item) => {
      const catalogItem = catalog.get(item.code);
      const d = forecast.items.get(item.code)!;
      // A done item: its approval day, else (approved with its stage) the stage's completion day.
      const doneDate =
        item.state === 'done'
          ? (tasks.find((t) => t.itemCode === item.code && t.status === 'approved')?.decidedOn ??
            doneOn(item.stage) ??
            today)
          : null;
      const m = item.model;
      return {
        itemCode: item.code,
        itemName: catalogItem?.name ?? item.code,
        departmentCode: catalogItem?.departmentCode ?? '',
        nationalStage: def.stages[item.stage]!.nationalStage,
        state: item.state,
        basis: m.basis,
        samples: m.samples,
        promisedDays: m.promisedDays,
        medianDays: m.basis === 'history' ? percentile(m.reviewDays, 0.5) : null,
        p90Days: m.basis === 'history' ? percentile(m.reviewDays, 0.9) : null,
        commitmentShare: round(m.commitmentShare),
        pausedShare: round(m.pausedShare),
        extendedShare: round(m.extendedShare),
        p50Date: doneDate ?? dateOf(calendar, today, d.p50),
        p90Date: doneDate ?? dateOf(calendar, today, d.p90),
      };
    }),
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** GET /api/projects/:id/forecast: anyone who may see the project (applicant, department, supervisor…). */
export async function projectForecast(db: Kysely<DB>, deps: ForecastDeps, actor: Actor, projectId: string) {
  const project = await visibleProject(db, actor, projectId);
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const definition = definitionCache(db);
  const [def, catalog, knowledge, applications, tasks] = await Promise.all([
    definition(project.templateCode, project.templateVersion),
    itemsByCode(db),
    loadKnowledge(db, calendar, today, definition),
    repo.applications(db, [project.id]),
    repo.projectTasks(db, [project.id]),
  ]);
  if (!def)
    throw new DomainError(
      'NOT_FOUND',
      `审批流程版本 ${project.templateCode} v${project.templateVersion} 不存在`,
    );
  return forecastOf(calendar, today, project, def, catalog, knowledge, applications, tasks);
}

const LIST_ROLES = new Set(['supervisor', 'admin', 'coordinator']);

/** The running projects (main line not finished) with their P50 / P90: supervision and coordination. */
export async function runningForecasts(db: Kysely<DB>, deps: ForecastDeps, actor: Actor) {
  if (!LIST_ROLES.has(actor.role)) {
    throw new DomainError('FORBIDDEN_ROLE', '此列表需要角色 supervisor/admin/coordinator (role not allowed)');
  }
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const department = actor.role === 'coordinator' ? (actor.departmentCode ?? '') : undefined;
  const ids = await repo.projectsWithApplications(db, LIST_LIMIT, department);
  const definition = definitionCache(db);
  const [projects, catalog, knowledge, applications, tasks] = await Promise.all([
    repo.projects(db, ids),
    itemsByCode(db),
    loadKnowledge(db, calendar, today, definition),
    repo.applications(db, ids),
    repo.projectTasks(db, ids),
  ]);
  const appsOf = groupBy(applications, (a) => a.projectId);
  const tasksOf = groupBy(tasks, (t) => t.projectId);
  const out = [];
  for (const p of projects) {
    const def = await definition(p.templateCode, p.templateVersion);
    if (!def) continue;
    const f = forecastOf(
      calendar,
      today,
      p,
      def,
      catalog,
      knowledge,
      appsOf.get(p.id) ?? [],
      tasksOf.get(p.id) ?? [],
    );
    if (f.finished) continue;
    const current = f.stages.find((s) => s.mainLine && s.state !== 'done');
    out.push({
      projectId: f.projectId,
      projectCode: f.projectCode,
      projectName: f.projectName,
      templateCode: f.templateCode,
      basis: f.basis,
      startedOn: f.startedOn,
      wholeProcess: f.wholeProcess,
      naive: f.naive,
      p50Date: f.completion.p50Date,
      p90Date: f.completion.p90Date,
      currentStage: current?.name ?? null,
    });
  }
  out.sort((a, b) =>
    a.p90Date < b.p90Date ? 1 : a.p90Date > b.p90Date ? -1 : a.projectCode.localeCompare(b.projectCode),
  );
  return { asOf: today, projects: out };
}
