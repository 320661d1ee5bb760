/**
 * Backtest of the completion forecast (issue 17 item 2). Generates a city's history — projects on three
 * templates accepted over two years, each item's true duration drawn per project from its own skewed
 * distribution (department speed, 补正 pauses, 延期, 告知承诺 for items that allow it, a reform drift
 * that makes everything ~15% faster per year), stage entry delays with a window part — then, for every
 * project, predicts its main-line completion AT ITS FIRST ACCEPTANCE from what was known then (only tasks
 * decided and stage transitions made before that day) and compares with what happened:
 *   - P50: mean absolute error in working days;
 *   - P90: share of projects that finished on or before it;
 * beside the naive prediction (every item takes its promised limit, each stage applied for on the day
 * the previous completes — what the system showed before). Working days through the calendar module.
 *
 *   npx tsx bench/forecast.ts
 *   BENCH_PROJECTS=600 BENCH_RUNS=500 npx tsx bench/forecast.ts
 *
 * The generator walks the same template graph (prerequisites, requiredBefore, stage completion rules)
 * as the forecast, so the figures measure how well durations are learned from history, not how well an
 * unknown process structure is guessed. Prints figures; asserts nothing.
 */
import { addDays, defaultSchedules, WorkingCalendar } from '../src/modules/calendar/calendar.rules';
import { catalogItems } from '../src/modules/catalog/catalog.data';
import { indexItems } from '../src/modules/catalog/catalog.rules';
import { buildGraph, type Knowledge } from '../src/modules/forecast/forecast.graph';
import {
  groupHistory,
  historyOf,
  simulate,
  simulateOnce,
  type DurationModel,
  type EntrySample,
  type StoredTask,
} from '../src/modules/forecast/forecast.rules';
import { typicalAttributes } from '../src/modules/forecast/scenario.service';
import { processTemplates } from '../src/modules/templates/template.data';
import { blockersOf, itemOrder } from '../src/modules/templates/template.rules';
import type { TemplateDefinition } from '../src/modules/templates/template.schemas';
import { mulberry32 } from '../src/shared/random';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const TEMPLATES = ['SOCIAL_TRANSFER', 'GOV_BUILDING', 'SOCIAL_SMALL'];
const FIRST_DAY = '2024-01-02';

const calendar = new WorkingCalendar(defaultSchedules());
const catalog = indexItems(catalogItems);
const rand = mulberry32(20261202);
const defs = TEMPLATES.map((code) => processTemplates.find((t) => t.code === code)! as TemplateDefinition);

// Each item's character: how fast its department is against the limit, how often it needs 补正.
const character = new Map<string, { speed: number; spread: number; correction: number }>();
for (const item of catalogItems) {
  character.set(item.code, {
    speed: 0.25 + rand() * 0.9,
    spread: 0.2 + rand() * 0.5,
    correction: rand() * 0.3,
  });
}

function normal() {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The true duration of one task of `code` in a project accepted `yearsIn` years after the start. */
function trueDays(code: string, yearsIn: number): number {
  const item = catalog.get(code)!;
  const c = character.get(code)!;
  const drift = Math.pow(0.85, yearsIn);
  let days = item.promisedTimeLimitDays * c.speed * drift * Math.exp(c.spread * normal());
  if (rand() < c.correction) days += 3 + rand() * 12; // 补正: the clock stops, completion moves
  if (rand() < 0.05) days += 5 + rand() * 5; // 延期
  return Math.max(0, Math.round(days));
}

/** A model holding one project's true durations: a single value, so the run uses exactly it. */
function fixedModel(days: number, promisedDays: number): DurationModel {
  return {
    basis: 'history',
    promisedDays,
    reviewDays: [days],
    commitmentShare: 0,
    samples: 1,
    pausedShare: 0,
    extendedShare: 0,
  };
}

interface Generated {
  def: TemplateDefinition;
  id: string;
  acceptedOn: string;
  finishOffset: number;
  tasks: StoredTask[];
  /** Stage transitions: (known on) → sample, per national stage. */
  entries: { knownOn: string; nationalStage: number; sample: EntrySample }[];
}

const none: Knowledge = { tasks: new Map(), entries: new Map() };
const generated: Generated[] = [];
let day = FIRST_DAY;
for (let p = 0; p < PROJECTS; p++) {
  day = calendar.addWorkingDays(day, rand() < 0.6 ? 1 : 2).deadline;
  const def = defs[p % defs.length]!;
  const attrs = typicalAttributes(def);
  const yearsIn = calendar.workingDaysBetween(FIRST_DAY, day) / 250;
  const graph = buildGraph(calendar, day, def, attrs, catalog, none, 'at_start');
  for (const item of graph.items) {
    const c = catalog.get(item.code)!;
    const commitment = c.commitmentAllowed && rand() < 0.3;
    item.model = fixedModel(commitment ? 0 : trueDays(item.code, yearsIn), c.promisedTimeLimitDays);
    item.commitmentShare = 0;
  }
  for (const stage of graph.stages) {
    const entry = 3 + Math.round(rand() * 22 * Math.pow(0.9, yearsIn));
    const window = Math.min(entry, Math.round(rand() * 5));
    stage.entry = { basis: 'history', samples: [{ entryDays: entry, windowDays: window }] };
  }
  const run = simulateOnce(graph, rand);
  const id = `p${p}`;
  const order = itemOrder(def, attrs);
  const tasks: StoredTask[] = graph.items.map((item) => {
    const stageStart = run.stageStarts[item.stage]!;
    return {
      projectId: id,
      itemCode: item.code,
      departmentCode: catalog.get(item.code)!.departmentCode,
      startedOn: calendar.addWorkingDays(day, Math.max(0, stageStart)).deadline,
      decidedOn: calendar.addWorkingDays(day, Math.max(0, run.items.get(item.code)!)).deadline,
      viaCommitment: item.model.reviewDays[0] === 0 && catalog.get(item.code)!.commitmentAllowed,
      pausedDays: 0,
      extendedDays: 0,
    };
  });
  const entries = graph.stages.flatMap((s, i) => {
    if (!s.mainLine || i === graph.stages.findIndex((x) => x.mainLine)) return [];
    const prev = graph.stages
      .slice(0, i)
      .map((x, j) => (x.mainLine ? j : -1))
      .filter((j) => j >= 0)
      .at(-1)!;
    const base = s.parallelWithPrevious ? run.stageStarts[prev]! : run.stages[prev]!;
    const accepted = run.stageStarts[i]!;
    return [
      {
        knownOn: calendar.addWorkingDays(day, Math.max(0, accepted)).deadline,
        nationalStage: s.nationalStage,
        sample: { entryDays: accepted - base, windowDays: s.entry.samples[0]!.windowDays },
      },
    ];
  });
  generated.push({ def, id, acceptedOn: day, finishOffset: run.project, tasks, entries });
  void order;
}

const orders = new Map(generated.map((g) => [g.id, itemOrder(g.def, typicalAttributes(g.def))]));
const allTasks = generated.flatMap((g) => g.tasks);
const allEntries = generated.flatMap((g) => g.entries);

interface Outcome {
  p50Error: number;
  withinP90: boolean;
  naiveError: number;
  withinNaive: boolean;
  history: boolean;
}
const outcomes: Outcome[] = [];
const started = performance.now();
for (const g of generated) {
  // Only what was known on the morning of acceptance: tasks decided and stages entered before it.
  const known = allTasks.filter((t) => t.decidedOn < g.acceptedOn);
  const history = historyOf(calendar, known, (projectId, code) => blockersOf(orders.get(projectId)!, code));
  const entries = new Map<number, EntrySample[]>();
  for (const e of allEntries) {
    if (e.knownOn >= g.acceptedOn) continue;
    const list = entries.get(e.nationalStage) ?? [];
    list.push(e.sample);
    entries.set(e.nationalStage, list);
  }
  const knowledge: Knowledge = { tasks: groupHistory(history), entries };
  const attrs = typicalAttributes(g.def);
  const graph = buildGraph(calendar, g.acceptedOn, g.def, attrs, catalog, knowledge, 'at_start');
  const forecast = simulate(graph, { seed: outcomes.length + 1, runs: RUNS });
  const naiveGraph = buildGraph(calendar, g.acceptedOn, g.def, attrs, catalog, knowledge, 'at_start', {
    promisedOnly: true,
  });
  const naive = simulateOnce(naiveGraph, mulberry32(1)).project;
  // Dates through the calendar, then compared in working days.
  const actualDate = calendar.addWorkingDays(g.acceptedOn, g.finishOffset).deadline;
  const error = (offset: number) =>
    Math.abs(calendar.workingDaysBetween(calendar.addWorkingDays(g.acceptedOn, offset).deadline, actualDate));
  outcomes.push({
    p50Error: error(forecast.project.p50),
    withinP90: g.finishOffset <= forecast.project.p90,
    naiveError: error(naive),
    withinNaive: g.finishOffset <= naive,
    history: graph.items.some((i) => i.model.basis === 'history'),
  });
}
const elapsed = performance.now() - started;

function report(label: string, rows: Outcome[]) {
  const n = rows.length;
  const mean = (f: (o: Outcome) => number) => rows.reduce((s, o) => s + f(o), 0) / n;
  const share = (f: (o: Outcome) => boolean) => rows.filter(f).length / n;
  console.log(
    `${label.padEnd(38)} n=${String(n).padStart(4)}  P50 MAE ${mean((o) => o.p50Error)
      .toFixed(1)
      .padStart(5)} wd` +
      `  actual ≤ P90 ${(share((o) => o.withinP90) * 100).toFixed(1).padStart(5)}%` +
      `  | naive MAE ${mean((o) => o.naiveError)
        .toFixed(1)
        .padStart(5)} wd` +
      `  actual ≤ naive ${(share((o) => o.withinNaive) * 100).toFixed(1).padStart(5)}%`,
  );
}

const last = generated.at(-1)!;
console.log(
  `forecast backtest: ${PROJECTS} projects (${TEMPLATES.join(', ')}), accepted ${FIRST_DAY} … ${last.acceptedOn}, ` +
    `${allTasks.length} tasks, ${RUNS} runs per forecast, ${(elapsed / PROJECTS).toFixed(1)} ms per forecast`,
);
report('all projects', outcomes);
report(
  'with history (≥ 5 tasks for some item)',
  outcomes.filter((o) => o.history),
);
report('second half (a year of history)', outcomes.slice(Math.floor(outcomes.length / 2)));
void addDays;
