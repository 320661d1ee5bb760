/**
 * 差异图斑 (task 52): where two plans assign different land-use classes. The request creates the
 * analysis and its job in one transaction; runDifferenceAnalysis does the work (callable directly).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Jobs } from '../../jobs/boss';
import { DomainError, notFound } from '../../shared/errors';
import { recordEvent } from '../audit/audit.service';
import type { Actor } from '../identity/identity.rules';
import * as layers from './blueprint.repository';
import { DIFFERENCE_QUEUE, type DifferenceJob } from './blueprint.jobs';
import * as repo from './difference.repository';

const PLAN_KINDS = ['urban_plan', 'land_use_plan'];
const BATCH = 100;
/** Slivers from digitising noise along shared edges are not patches. */
export const MIN_PATCH_M2 = 1;
const PATCH_CAP = 10_000;

export async function startDifferenceAnalysis(
  db: Kysely<DB>,
  jobs: Jobs | null,
  actor: Actor,
  now: Date,
  input: { layerA: string; layerB: string },
) {
  if (input.layerA === input.layerB) {
    throw new DomainError('VALIDATION_FAILED', '需要两个不同的规划图层 (two different layers needed)', {
      field: 'body.layerB',
    });
  }
  for (const [field, id] of [
    ['body.layerA', input.layerA],
    ['body.layerB', input.layerB],
  ] as const) {
    const layer = await layers.findLayer(db, id);
    if (!layer) throw new DomainError('NOT_FOUND', `图层 ${id} 不存在 (layer not found)`, { field });
    if (!PLAN_KINDS.includes(layer.kind)) {
      throw new DomainError(
        'RULE_VIOLATION',
        `差异图斑只比较规划图层 (urban_plan / land_use_plan)，${layer.name} 是 ${layer.kind}`,
        { field },
      );
    }
  }
  const id = await db.transaction().execute(async (trx) => {
    const analysisId = await repo.insertAnalysis(trx, {
      layerA: input.layerA,
      layerB: input.layerB,
      createdBy: actor.userId,
      createdAt: now,
    });
    if (jobs) {
      // The job row lands in the same transaction as the analysis (pg-boss `db` option).
      const data: DifferenceJob = { analysisId };
      await jobs.send(DIFFERENCE_QUEUE, data as object, {
        db: {
          executeSql: async (text: string, values: unknown[]) =>
            trx.executeQuery(CompiledQuery.raw(text, values)),
        },
      });
    }
    await recordEvent(trx, actor, now, {
      action: 'blueprint.difference.started',
      objectType: 'difference_analysis',
      objectId: analysisId,
      toState: 'queued',
      detail: input,
    });
    return analysisId;
  });
  return { id, status: 'queued' as const };
}

/** Does the analysis (the worker calls this; tests may too). Safe to call twice: only one claims it. */
export async function runDifferenceAnalysis(db: Kysely<DB>, analysisId: string, now: () => Date) {
  const a = await repo.findAnalysis(db, analysisId);
  if (!a) return;
  const total = await repo.countFeatures(db, a.layerA);
  if (!(await repo.claimAnalysis(db, analysisId, total))) return;
  try {
    let after = 0;
    for (;;) {
      const ids = await repo.featureIdsAfter(db, a.layerA, after, BATCH);
      if (ids.length === 0) break;
      await db.transaction().execute(async (trx) => {
        const r = await repo.insertPatches(trx, analysisId, a.layerB, ids, MIN_PATCH_M2);
        await repo.addProgress(trx, analysisId, ids.length, r.n, r.area);
      });
      after = ids[ids.length - 1]!;
    }
    await repo.finishAnalysis(db, analysisId, 'done', now());
  } catch (err) {
    await repo.finishAnalysis(
      db,
      analysisId,
      'failed',
      now(),
      err instanceof Error ? err.message : String(err),
    );
  }
}

export async function getDifferenceAnalysis(db: Kysely<DB>, id: string) {
  const a = await repo.findAnalysis(db, id);
  if (!a) throw notFound('差异图斑分析 analysis', id);
  const patches = await repo.listPatches(db, id, PATCH_CAP);
  return {
    id: a.id,
    layerA: a.layerA,
    layerB: a.layerB,
    status: a.status as 'queued' | 'running' | 'done' | 'failed',
    progress: { processed: a.processed, total: a.total },
    patchCount: a.patchCount,
    totalAreaM2: a.totalAreaM2,
    error: a.error,
    createdAt: a.createdAt,
    finishedAt: a.finishedAt,
    patches: {
      type: 'FeatureCollection' as const,
      features: patches.map((p) => ({
        type: 'Feature' as const,
        id: p.id,
        properties: {
          landUseA: p.landUseA,
          landUseB: p.landUseB,
          areaM2: p.areaM2,
          featureA: p.featureA,
          featureB: p.featureB,
        },
        geometry: JSON.parse(p.geometry) as unknown,
      })),
    },
  };
}
