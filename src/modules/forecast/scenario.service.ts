/**
 * The reform simulator (三、(四) 2 持续优化; task 38 totals): a template copied into a sandbox, changed,
 * and compared with the live one — computed totals (the templates' rule) and simulated distributions
 * (the same history, the same seed on both sides) against the 100 / 70 / 60-day lines. Saving a scenario
 * stores only its changes; live templates and items are never written.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import { beijingDate } from '../calendar/calendar.rules';
import type { Item } from '../catalog/catalog.schemas';
import type { Actor } from '../identity/identity.rules';
import { itemsByCode } from '../projects/project.service';
import * as templates from '../templates/template.service';
import { templateKind } from '../templates/template.questions';
import { templateView, validateTemplate } from '../templates/template.rules';
import {
  defaultProjectAttributes,
  type ProjectAttributes,
  type TemplateDefinition,
} from '../templates/template.schemas';
import { basisOf, buildGraph, type GraphOptions, type Knowledge } from './forecast.graph';
import * as repo from './forecast.repository';
import { DEFAULT_RUNS, rescaleModel, seedOf, simulate } from './forecast.rules';
import { applyScenario, TARGET_LINES } from './forecast.scenario';
import type { ScenarioChanges, ScenarioComparison, ScenarioInput } from './forecast.schemas';
import { definitionCache, loadKnowledge, type ForecastDeps } from './forecast.service';

/** The project the distributions are for: the template's default kind, no special circumstances. */
export function typicalAttributes(def: TemplateDefinition): ProjectAttributes {
  const kind = templateKind(def);
  return {
    ...defaultProjectAttributes,
    investmentSource: kind.investmentSource[0]!,
    landSupplyMethod: kind.landSupplyMethod[0]!,
  };
}

function side(
  calendar: Awaited<ReturnType<ForecastDeps['calendar']['get']>>,
  today: string,
  def: TemplateDefinition,
  catalog: ReadonlyMap<string, Item>,
  knowledge: Knowledge,
  seed: number,
  options: GraphOptions,
) {
  const view = templateView(def, catalog);
  const graph = buildGraph(
    calendar,
    today,
    def,
    typicalAttributes(def),
    catalog,
    knowledge,
    'at_start',
    options,
  );
  const f = simulate(graph, { seed, runs: DEFAULT_RUNS });
  const within = (line: number) =>
    f.project.histogram.filter((h) => h.workingDays <= line).reduce((n, h) => n + h.runs, 0) / f.runs;
  return {
    totalWorkingDays: view.totalWorkingDays,
    stages: view.stages.map((s, i) => ({
      nationalStage: s.nationalStage,
      name: s.name,
      mergedStages: s.mergedStages,
      mainLine: graph.stages[i]!.mainLine,
      timeLimitWorkingDays: s.timeLimitWorkingDays,
      p50WorkingDays: f.stages[i]!.p50,
      p90WorkingDays: f.stages[i]!.p90,
    })),
    distribution: {
      p50WorkingDays: f.project.p50,
      p90WorkingDays: f.project.p90,
      meanWorkingDays: f.project.mean,
      histogram: f.project.histogram,
    },
    basis: basisOf(graph.items.map((i) => i.model)),
    withinLines: TARGET_LINES.map((line) => ({ line, share: Math.round(within(line) * 1000) / 1000 })),
  };
}

async function compare(
  db: Kysely<DB>,
  deps: ForecastDeps,
  def: TemplateDefinition,
  changes: ScenarioChanges,
  meta: { id: string | null; name: string; createdAt: string | null },
): Promise<ScenarioComparison> {
  const calendar = await deps.calendar.get();
  const today = beijingDate(deps.clock.now());
  const [catalog, knowledge] = await Promise.all([
    itemsByCode(db),
    loadKnowledge(db, calendar, today, definitionCache(db)),
  ]);
  const { sandbox, problems } = applyScenario(def, catalog, changes);
  if (problems.length > 0) {
    throw new DomainError('RULE_VIOLATION', problems.map((p) => p.message).join('；'), {
      field: problems[0]!.field,
      details: problems,
    });
  }
  const seed = seedOf(def.code);
  const live = side(calendar, today, def, catalog, knowledge, seed, {});
  const reformed = side(calendar, today, sandbox.def, sandbox.catalog, knowledge, seed, {
    // A changed limit rescales that item's history (the department is held to the new limit).
    models: (item, model) => {
      const before = catalog.get(item.code)?.promisedTimeLimitDays ?? item.promisedTimeLimitDays;
      return before === item.promisedTimeLimitDays
        ? model
        : rescaleModel({ ...model, promisedDays: before }, item.promisedTimeLimitDays);
    },
    ...(changes.commitmentShare !== null ? { commitmentShare: changes.commitmentShare } : {}),
    deficiencyShare: changes.deficiencyShare ?? 0,
  });
  return {
    id: meta.id,
    name: meta.name,
    templateCode: def.code,
    templateName: def.name,
    templateVersion: def.version,
    createdAt: meta.createdAt,
    changes,
    lines: [...TARGET_LINES],
    runs: DEFAULT_RUNS,
    live,
    sandbox: reformed,
    problems: validateTemplate(sandbox.def, sandbox.catalog).map((i) => ({
      code: i.code,
      message: i.message,
    })),
  };
}

async function currentDefinition(db: Kysely<DB>, code: string) {
  const def = await templates.findCurrentDefinition(db, code);
  if (!def) throw notFound('审批流程 template', code);
  return def;
}

/** Try a scenario without saving it. */
export async function previewScenario(db: Kysely<DB>, deps: ForecastDeps, input: ScenarioInput) {
  const def = await currentDefinition(db, input.templateCode);
  return compare(db, deps, def, input.changes, { id: null, name: input.name, createdAt: null });
}

/** Save: the comparison must compute (invalid changes are refused), then only the changes are stored. */
export async function saveScenario(db: Kysely<DB>, deps: ForecastDeps, actor: Actor, input: ScenarioInput) {
  const def = await currentDefinition(db, input.templateCode);
  const comparison = await compare(db, deps, def, input.changes, {
    id: null,
    name: input.name,
    createdAt: null,
  });
  const now = deps.clock.now();
  const row = await db.transaction().execute(async (trx) => {
    const saved = await repo.insertScenario(trx, {
      name: input.name,
      templateCode: def.code,
      templateVersion: def.version,
      changes: JSON.stringify(input.changes),
      createdBy: actor.userId,
      createdAt: now,
    });
    await recordEvent(trx, actor, now, {
      action: 'forecast.scenario_saved',
      objectType: 'forecast_scenario',
      objectId: saved.id,
      toState: 'saved',
      detail: {
        templateCode: def.code,
        templateVersion: def.version,
        liveTotal: comparison.live.totalWorkingDays,
        sandboxTotal: comparison.sandbox.totalWorkingDays,
      },
    });
    return saved;
  });
  return { ...comparison, id: row.id, createdAt: row.createdAt.toISOString() };
}

async function savedDefinition(db: Kysely<DB>, row: { templateCode: string; templateVersion: number }) {
  const def = await templates.findDefinitionVersion(db, row.templateCode, row.templateVersion);
  if (!def) throw notFound('审批流程版本 template version', `${row.templateCode} v${row.templateVersion}`);
  return def;
}

/** A saved scenario, recomputed on the template version it was made from, with today's history. */
export async function getScenario(db: Kysely<DB>, deps: ForecastDeps, id: string) {
  const row = await repo.findScenario(db, id);
  if (!row) throw notFound('改革方案 scenario', id);
  return compare(db, deps, await savedDefinition(db, row), row.changes, {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
  });
}

export async function compareScenarios(db: Kysely<DB>, deps: ForecastDeps, ids: readonly string[]) {
  const out: ScenarioComparison[] = [];
  for (const id of [...new Set(ids)]) out.push(await getScenario(db, deps, id));
  return { scenarios: out };
}

/** Saved scenarios with both totals (the templates' rule; no simulation, so the list stays quick). */
export async function listScenarios(db: Kysely<DB>) {
  const [rows, catalog] = await Promise.all([repo.listScenarios(db), itemsByCode(db)]);
  const definition = definitionCache(db);
  const out = [];
  for (const row of rows) {
    const def = await definition(row.templateCode, row.templateVersion);
    if (!def) continue;
    const { sandbox } = applyScenario(def, catalog, row.changes);
    out.push({
      id: row.id,
      name: row.name,
      templateCode: row.templateCode,
      templateVersion: row.templateVersion,
      createdAt: row.createdAt.toISOString(),
      liveTotalWorkingDays: templateView(def, catalog).totalWorkingDays,
      sandboxTotalWorkingDays: templateView(sandbox.def, sandbox.catalog).totalWorkingDays,
    });
  }
  return { scenarios: out };
}

export async function deleteScenario(db: Kysely<DB>, deps: ForecastDeps, actor: Actor, id: string) {
  const now = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    const gone = await repo.deleteScenario(trx, id);
    if (!gone) throw notFound('改革方案 scenario', id);
    await recordEvent(trx, actor, now, {
      action: 'forecast.scenario_deleted',
      objectType: 'forecast_scenario',
      objectId: id,
      fromState: 'saved',
      toState: 'deleted',
    });
  });
}
