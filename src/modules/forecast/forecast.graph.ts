/**
 * Pure: a project's (or a typical project's) template graph with its progress, ready to simulate. The
 * order comes from the templates' rules (itemOrder / blockersOf: one rule per concept), the stage
 * states from the projects' stageStates rule, and the offsets from the calendar.
 */
import { beijingDate, type WorkingCalendar } from '../calendar/calendar.rules';
import type { Item } from '../catalog/catalog.schemas';
import { PARALLEL_STAGE, stageStates } from '../projects/project.rules';
import { blockersOf, isMainLineStage, itemOrder } from '../templates/template.rules';
import type { ProjectAttributes, TemplateDefinition } from '../templates/template.schemas';
import {
  durationModel,
  entryModel,
  historyKey,
  offsetOf,
  type Basis,
  type DurationModel,
  type EntryModel,
  type EntrySample,
  type HistoryTask,
  type SimGraph,
  type SimItem,
  type SimStage,
} from './forecast.rules';

export interface ProgressApplication {
  id: string;
  stage: number;
  status:
    | 'submitted'
    | 'correction_requested'
    | 'accepted'
    | 'refused'
    | 'rejected'
    | 'withdrawn'
    | 'terminated'
    | 'completed';
  submittedAt: Date;
  acceptedOn: string | null;
  completedOn: string | null;
}

export interface ProgressTask {
  itemCode: string;
  status: string;
  startedOn: string;
  decidedOn: string | null;
}

/** What history says, by item+department and by national stage (entry delays). */
export interface Knowledge {
  tasks: Map<string, HistoryTask[]>;
  entries: Map<number, EntrySample[]>;
}

export interface GraphOptions {
  /** A reform's limits: itemCode → new promised days (the history is rescaled). */
  models?: (item: Item, model: DurationModel) => DurationModel;
  /** For future items whose catalog entry allows 告知承诺: the share decided on the spot. */
  commitmentShare?: number;
  deficiencyShare?: number;
  /** Ignore history: every item takes its promised limit, every stage starts on the day it may. */
  promisedOnly?: boolean;
}

const RUNNING = new Set(['in_review', 'paused', 'correction']);

/** The stage (index in def.stages) an item sits in. */
function stageIndexOf(def: TemplateDefinition): Map<string, number> {
  const out = new Map<string, number>();
  def.stages.forEach((s, index) => s.items.forEach((ti) => out.set(ti.itemCode, index)));
  return out;
}

export function buildGraph(
  calendar: WorkingCalendar,
  today: string,
  def: TemplateDefinition,
  attributes: ProjectAttributes,
  catalog: ReadonlyMap<string, Item>,
  knowledge: Knowledge,
  progress: { applications: readonly ProgressApplication[]; tasks: readonly ProgressTask[] } | 'at_start',
  options: GraphOptions = {},
): SimGraph {
  const order = itemOrder(def, attributes);
  const where = stageIndexOf(def);
  const templateItem = new Map(def.stages.flatMap((s) => s.items.map((ti) => [ti.itemCode, ti] as const)));
  const off = (date: string) => offsetOf(calendar, today, date);

  const states =
    progress === 'at_start'
      ? def.stages.map((s, i) => ({
          nationalStage: s.nationalStage,
          status: i === def.stages.findIndex(isMainLineStage) ? 'accepted' : 'open',
          applicationId: null,
        }))
      : stageStates(
          def.stages,
          progress.applications.map((a) => ({
            id: a.id,
            stage: a.stage,
            status: a.status,
            submittedAt: a.submittedAt,
          })),
        );
  const appById = new Map(progress === 'at_start' ? [] : progress.applications.map((a) => [a.id, a]));

  const stages: SimStage[] = def.stages.map((s, index) => {
    const state = states[index]!;
    const app = state.applicationId ? appById.get(state.applicationId) : undefined;
    const entry: EntryModel = options.promisedOnly
      ? { basis: 'promised', samples: [] }
      : entryModel(knowledge.entries.get(s.nationalStage));
    const base = {
      nationalStage: s.nationalStage,
      name: s.name,
      mainLine: isMainLineStage(s),
      parallelWithPrevious: s.parallelWithPrevious,
      completionRule: s.completionRule,
      entry,
    };
    if (progress === 'at_start') {
      return state.status === 'accepted'
        ? { ...base, state: 'running', startedAt: 0 }
        : { ...base, state: s.nationalStage === PARALLEL_STAGE ? 'running' : 'future', startedAt: 0 };
    }
    if (state.status === 'completed' && app?.completedOn && app.acceptedOn) {
      return { ...base, state: 'done', startedAt: off(app.acceptedOn), doneAt: off(app.completedOn) };
    }
    if (state.status === 'accepted' && app?.acceptedOn) {
      return { ...base, state: 'running', startedAt: off(app.acceptedOn) };
    }
    if (s.nationalStage === PARALLEL_STAGE) {
      // 并行推进 is applied for one service at a time: its items carry their own progress.
      return { ...base, state: 'running', startedAt: 0 };
    }
    return { ...base, state: 'future' };
  });

  const taskOf = new Map<string, ProgressTask>();
  if (progress !== 'at_start') {
    for (const t of progress.tasks) {
      const current = taskOf.get(t.itemCode);
      const rank = (x: ProgressTask) => (x.status === 'approved' ? 2 : RUNNING.has(x.status) ? 1 : 0);
      if (!current || rank(t) > rank(current)) taskOf.set(t.itemCode, t);
    }
  }

  const items: SimItem[] = [];
  for (const code of order.keys()) {
    const item = catalog.get(code);
    const stage = where.get(code);
    if (!item || item.status !== 'active' || stage === undefined) continue;
    let model = options.promisedOnly
      ? durationModel(undefined, item.promisedTimeLimitDays)
      : durationModel(knowledge.tasks.get(historyKey(code, item.departmentCode)), item.promisedTimeLimitDays);
    if (options.models) model = options.models(item, model);
    const task = taskOf.get(code);
    const stageState = stages[stage]!.state;
    let simItem: SimItem = {
      code,
      stage,
      blockers: blockersOf(order, code),
      milestone: templateItem.get(code)?.milestone ?? false,
      model,
      state: 'future',
    };
    if (task?.status === 'approved' && task.decidedOn)
      simItem = { ...simItem, state: 'done', at: off(task.decidedOn) };
    else if (task && RUNNING.has(task.status))
      simItem = { ...simItem, state: 'running', at: off(task.startedOn) };
    else if (stageState === 'done') simItem = { ...simItem, state: 'done', at: stages[stage]!.doneAt ?? 0 };
    if (simItem.state === 'future' && options.commitmentShare !== undefined) {
      simItem.commitmentShare = item.commitmentAllowed ? options.commitmentShare : 0;
    }
    items.push(simItem);
  }
  return { stages, items, deficiencyShare: options.deficiencyShare ?? 0 };
}

/** 'history' when every item still to come uses history, 'promised' when none does, else 'mixed'. */
export function basisOf(models: readonly { basis: Basis }[]): Basis | 'mixed' | 'known' {
  if (models.length === 0) return 'known';
  const history = models.filter((m) => m.basis === 'history').length;
  if (history === models.length) return 'history';
  return history === 0 ? 'promised' : 'mixed';
}

/**
 * Entry delays seen in one project's history: for each main-line stage after the first, the working days
 * from the previous main-line stage's completion (its acceptance, for a parallelWithPrevious stage) to
 * this stage's acceptance, and the window's part of it (submission → acceptance).
 */
export function entrySamplesOf(
  calendar: WorkingCalendar,
  def: TemplateDefinition,
  applications: readonly ProgressApplication[],
): { nationalStage: number; sample: EntrySample }[] {
  const out: { nationalStage: number; sample: EntrySample }[] = [];
  const mainStages = def.stages.filter(isMainLineStage);
  // The completed application speaks for a stage, else the latest accepted one.
  const speaking = (covers: Set<number>) => {
    const accepted = applications.filter((a) => covers.has(a.stage) && a.acceptedOn !== null);
    return accepted.find((a) => a.status === 'completed') ?? accepted[accepted.length - 1];
  };
  let previous: ProgressApplication | undefined;
  for (const [i, stage] of mainStages.entries()) {
    const app = speaking(new Set([stage.nationalStage, ...stage.mergedStages]));
    if (i > 0 && app?.acceptedOn && previous) {
      const base = stage.parallelWithPrevious ? previous.acceptedOn : previous.completedOn;
      if (base) {
        const entryDays = Math.max(0, calendar.workingDaysBetween(base, app.acceptedOn));
        const submitted = beijingDate(app.submittedAt);
        const windowDays = Math.min(
          entryDays,
          Math.max(0, calendar.workingDaysBetween(submitted, app.acceptedOn)),
        );
        out.push({ nationalStage: stage.nationalStage, sample: { entryDays, windowDays } });
      }
    }
    if (!app || app.status !== 'completed') break;
    previous = app;
  }
  return out;
}
