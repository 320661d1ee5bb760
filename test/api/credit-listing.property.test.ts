/**
 * Property test of the listing lifecycle (issue 12): fast-check drives the credit services with random
 * sequences — serious records from the flow, objections and their decisions, repair requests and their
 * decisions, time passing with the daily sweep — on a fresh enterprise per run. Invariants after every step:
 * a notice is never listed while an objection on it is pending; a subject has at most one open listing per
 * list; an approved repair removes the listing and restores 告知承诺; every listing's status is the last
 * state its audit trail records.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachSystem } from '../app';
import { addDays, beijingDate } from '../../src/modules/calendar/calendar.rules';
import type { Actor } from '../../src/modules/identity/identity.rules';
import { creditStanding, recordFromFlow, runCreditSweep } from '../../src/modules/credit/credit.service';
import {
  decideObjection,
  decideRepair,
  fileObjection,
  requestRepair,
} from '../../src/modules/credit/listing.service';

type Step =
  | { kind: 'record' }
  | { kind: 'object' }
  | { kind: 'decideObjection'; upheld: boolean }
  | { kind: 'repair' }
  | { kind: 'decideRepair'; approved: boolean }
  | { kind: 'days'; n: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'record' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'object' as const }) },
  { weight: 2, arbitrary: fc.boolean().map((upheld) => ({ kind: 'decideObjection' as const, upheld })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'repair' as const }) },
  { weight: 2, arbitrary: fc.boolean().map((approved) => ({ kind: 'decideRepair' as const, approved })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(1, 3, 8, 1200).map((n) => ({ kind: 'days' as const, n })),
  },
);

describeEachSystem('credit listing lifecycle (property)', (t) => {
  it('keeps its invariants under random sequences', async () => {
    const { system } = t;
    const db = system.db;
    const deps = { clock: system.clock, calendar: system.ctx.calendar };
    const user = async (username: string): Promise<Actor> => {
      const u = await db
        .selectFrom('appUser')
        .select(['id', 'username', 'displayName', 'role', 'departmentCode', 'enterpriseId'])
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      return {
        userId: u.id,
        username: u.username,
        displayName: u.displayName,
        role: u.role as Actor['role'],
        departmentCode: u.departmentCode,
        enterpriseId: u.enterpriseId,
      };
    };
    const supervisor = await user('supervisor');
    const applicantUser = await user('applicant');
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 3, maxLength: 9 }), async (steps) => {
        run++;
        const enterprise = await db
          .insertInto('enterprise')
          .values({
            name: `性质测试企业 ${run}-${Date.now()}`,
            creditCode: `91410100PT${String(Date.now() % 1e8).padStart(8, '0')}`.slice(0, 18),
            legalPerson: null,
            status: 'confirmed',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const applicant: Actor = { ...applicantUser, enterpriseId: enterprise.id };
        let records = 0;

        const listings = async () => {
          const subject = await db
            .selectFrom('creditSubject')
            .select('id')
            .where('enterpriseId', '=', enterprise.id)
            .executeTakeFirst();
          if (!subject) return [];
          return db
            .selectFrom('creditListing')
            .selectAll()
            .where('subjectId', '=', subject.id)
            .orderBy('createdAt')
            .execute();
        };
        const pending = async (table: 'creditObjection' | 'creditRepair') => {
          const ids = (await listings()).map((l) => l.id);
          if (ids.length === 0) return [];
          return db
            .selectFrom(table)
            .select(['id', 'listingId'])
            .where('listingId', 'in', ids)
            .where('status', '=', 'pending')
            .execute();
        };
        const attempt = async (f: () => Promise<unknown>) => {
          try {
            await f();
            return true;
          } catch (e) {
            // Refusals of this lifecycle are domain errors (409/422/403), never anything else.
            expect((e as { code?: string }).code, String(e)).toMatch(
              /^(CONFLICT_|RULE_VIOLATION|FORBIDDEN_)/,
            );
            return false;
          }
        };

        for (const step of steps) {
          const now = system.clock.now();
          if (step.kind === 'record') {
            const calendar = await deps.calendar.get();
            await db.transaction().execute((trx) =>
              recordFromFlow(
                trx,
                calendar,
                {
                  enterpriseId: enterprise.id,
                  kind: 'commitment_broken',
                  reason: `性质测试 ${run}.${records}`,
                  sourceType: 'property_test',
                  sourceId: `${enterprise.id}:${records++}`,
                },
                now,
              ),
            );
          } else if (step.kind === 'object') {
            const open = (await listings()).find((l) => l.status === 'noticed' || l.status === 'listed');
            if (open) await attempt(() => fileObjection(db, deps, applicant, open.id, '事实有误，请核实'));
          } else if (step.kind === 'decideObjection') {
            const [o] = await pending('creditObjection');
            if (o)
              await attempt(() =>
                decideObjection(db, deps, supervisor, o.id, {
                  outcome: step.upheld ? 'upheld' : 'rejected',
                  decision: step.upheld ? '异议成立' : '异议不成立',
                }),
              );
          } else if (step.kind === 'repair') {
            const listed = (await listings()).find((l) => l.status === 'listed');
            if (listed)
              await attempt(() => requestRepair(db, deps, applicant, listed.id, '已整改并公开承诺'));
          } else if (step.kind === 'decideRepair') {
            const [r] = await pending('creditRepair');
            if (r) {
              const ok = await attempt(() =>
                decideRepair(db, deps, supervisor, r.id, {
                  outcome: step.approved ? 'approved' : 'rejected',
                  decision: step.approved ? '修复完成' : '整改不到位',
                }),
              );
              if (ok && step.approved) {
                // Repair removes: the listing ends and 告知承诺 is open again (its records count no more).
                const l = (await listings()).find((x) => x.id === r.listingId)!;
                expect(l.status).toBe('removed');
                const standing = await creditStanding(db, enterprise.id, beijingDate(system.clock.now()));
                expect(standing.black).toBeNull();
              }
            }
          } else {
            system.clock.set(new Date(`${addDays(beijingDate(now), step.n)}T09:00:00+08:00`));
            await runCreditSweep(db, deps);
          }

          // Invariants.
          const all = await listings();
          for (const list of ['black', 'red'] as const)
            expect(
              all.filter((l) => l.list === list && ['noticed', 'listed'].includes(l.status)).length,
            ).toBeLessThanOrEqual(1);
          const ids = all.map((l) => l.id);
          if (ids.length === 0) continue;
          const [events, objections] = await Promise.all([
            db
              .selectFrom('auditEvent')
              .select(['objectId', 'action', 'toState', 'occurredAt'])
              .where('objectType', '=', 'credit_listing')
              .where('objectId', 'in', ids)
              .orderBy('id')
              .execute(),
            db.selectFrom('creditObjection').selectAll().where('listingId', 'in', ids).execute(),
          ]);
          for (const l of all) {
            const trail = events.filter((e) => e.objectId === l.id && e.toState);
            expect(trail.at(-1)?.toState, `audit trail of ${l.id}`).toBe(l.status);
            for (const listed of events.filter((e) => e.objectId === l.id && e.action === 'credit.listed')) {
              const heldBy = objections.filter(
                (o) =>
                  o.listingId === l.id &&
                  o.submittedAt <= listed.occurredAt &&
                  (o.decidedAt === null || o.decidedAt > listed.occurredAt),
              );
              expect(heldBy, 'listed while an objection was pending').toEqual([]);
            }
          }
        }
      }),
      { numRuns: 8, seed: 20261202 },
    );
  }, 600_000);
});
