/**
 * The outbox (issue 14): every recorded change of an object the province receives lands here in the
 * change's own transaction — called by audit's recordEvent, the one place every state change passes.
 * The upload job builds SPGL rows from it later; a rolled-back change leaves nothing to upload.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import * as repo from './exchange.repository';

/**
 * Objects whose changes the province receives: projects, applications, item tasks and certificates (项目,
 * 办理, 批复文件, licence results), process templates (流程/阶段/阶段事项), blueprint layers (规划控制线) and
 * planned projects (项目前期意见), and the marketplace's engagements (中介服务事项办理信息 / 办理过程信息).
 */
export const EXCHANGED_OBJECTS = new Set([
  'project',
  'stage_application',
  'item_task',
  'certificate',
  'process_template',
  'blueprint_layer',
  'planned_project',
  'market_engagement',
]);

export interface RecordedChange {
  objectType: string;
  objectId: string;
  action: string;
  toState: string | null;
  reason: string | null;
  actorUserId: string | null;
  at: Date;
  detail: Record<string, unknown>;
}

export async function recordChange(trx: Transaction<DB>, change: RecordedChange): Promise<void> {
  if (!EXCHANGED_OBJECTS.has(change.objectType)) return;
  await repo.insertOutbox(trx, {
    objectType: change.objectType,
    objectId: change.objectId,
    action: change.action,
    toState: change.toState,
    reason: change.reason,
    actorUserId: change.actorUserId,
    occurredAt: change.at,
    detail: JSON.stringify(change.detail),
  });
}
