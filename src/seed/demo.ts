/**
 * Demo accounts for a first start outside production (password Demo#2026zz for all): admin, applicant,
 * window, supervisor, agent, intermediary / intermediary2 / intermediary3 (中介机构), and for every department <code>.reviewer / <code>.senior / <code>.head (and
 * <code>.coordinator for stage leads). Never runs when NODE_ENV=production.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { creditCodeCheckChar } from '../modules/identity/identity.rules';
import { hashPassword } from '../modules/identity/password';

export const DEMO_PASSWORD = 'Demo#2026zz';

function creditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

export const demoEnterprises = [
  {
    key: 'applicant',
    name: '郑州市示范建设发展有限公司',
    creditCode: creditCode('91410100MA9GK0001'),
    legalPerson: '张建国',
  },
  {
    key: 'applicant2',
    name: '河南中原置业集团有限公司',
    creditCode: creditCode('91410100MA9GK0002'),
    legalPerson: '李明',
  },
];

/** 中介机构 of the marketplace (issue 13): each with a user of role intermediary (src/seed/demo-marketplace.ts lists them). */
export const demoIntermediaries = [
  {
    key: 'intermediary',
    name: '河南中地勘察评估有限公司',
    creditCode: creditCode('91410100MA9GK0101'),
    legalPerson: '周志远',
  },
  {
    key: 'intermediary2',
    name: '郑州华测工程技术有限公司',
    creditCode: creditCode('91410100MA9GK0102'),
    legalPerson: '吴海峰',
  },
  {
    key: 'intermediary3',
    name: '河南豫安环境科技有限公司',
    creditCode: creditCode('91410100MA9GK0103'),
    legalPerson: '郑雅琴',
  },
];

export async function hasAnyUser(db: Kysely<DB>): Promise<boolean> {
  return !!(await db.selectFrom('appUser').select('id').limit(1).executeTakeFirst());
}

export async function seedDemoAccounts(db: Kysely<DB>): Promise<number> {
  // One argon2id hash for the shared demo password keeps the first start quick.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const departments = await trx.selectFrom('department').select(['code', 'name', 'leadsStages']).execute();
    const users: DemoUser[] = [
      { username: 'admin', displayName: '系统管理员', role: 'admin' },
      { username: 'window', displayName: '综合窗口 王敏', role: 'window', departmentCode: 'zwb' },
      { username: 'supervisor', displayName: '电子监察 赵磊', role: 'supervisor', departmentCode: 'zwb' },
      { username: 'agent', displayName: '帮办代办 孙丽', role: 'agent', departmentCode: 'zwb' },
    ];
    for (const e of demoEnterprises) {
      const row = await trx
        .insertInto('enterprise')
        .values({ name: e.name, creditCode: e.creditCode, legalPerson: e.legalPerson })
        .returning('id')
        .executeTakeFirstOrThrow();
      users.push({
        username: e.key,
        displayName: `${e.name} 经办人`,
        role: 'applicant',
        enterpriseId: row.id,
      });
    }
    for (const e of demoIntermediaries) {
      const row = await trx
        .insertInto('enterprise')
        .values({ name: e.name, creditCode: e.creditCode, legalPerson: e.legalPerson })
        .returning('id')
        .executeTakeFirstOrThrow();
      users.push({
        username: e.key,
        displayName: `${e.name} 业务员`,
        role: 'intermediary',
        enterpriseId: row.id,
      });
    }
    for (const d of departments) {
      users.push({
        username: `${d.code}.reviewer`,
        displayName: `${d.name} 初核`,
        role: 'reviewer',
        departmentCode: d.code,
      });
      users.push({
        username: `${d.code}.senior`,
        displayName: `${d.name} 复核`,
        role: 'senior',
        departmentCode: d.code,
      });
      users.push({
        username: `${d.code}.head`,
        displayName: `${d.name} 负责人`,
        role: 'head',
        departmentCode: d.code,
      });
      if (d.leadsStages.length > 0) {
        users.push({
          username: `${d.code}.coordinator`,
          displayName: `${d.name} 牵头协调`,
          role: 'coordinator',
          departmentCode: d.code,
        });
      }
    }
    await insertUsers(trx, users, passwordHash);
    await seedDemoConsent(trx);
    return users.length;
  });
}

interface DemoUser {
  username: string;
  displayName: string;
  role: string;
  departmentCode?: string;
  enterpriseId?: string;
}

async function insertUsers(db: Kysely<DB>, users: DemoUser[], passwordHash: string) {
  await db
    .insertInto('appUser')
    .values(
      users.map((u) => ({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        departmentCode: u.departmentCode ?? null,
        enterpriseId: u.enterpriseId ?? null,
        passwordHash,
        // The demo password is published and CLOCK_NOW moves demos months ahead: expiry would only
        // lock the demo out (demo accounts never exist in production).
        passwordExpiryExempt: true,
      })),
    )
    .execute();
}

/**
 * 帮办代办: the first demo enterprise has consented that the demo agent register its projects and apply
 * for its stages (the second has not, so the agent's refusal can be seen too).
 */
async function seedDemoConsent(trx: Kysely<DB>) {
  const people = await trx
    .selectFrom('appUser')
    .select(['id', 'username', 'enterpriseId'])
    .where('username', 'in', ['agent', demoEnterprises[0]!.key])
    .execute();
  const agent = people.find((p) => p.username === 'agent');
  const applicant = people.find((p) => p.username === demoEnterprises[0]!.key);
  if (!agent || !applicant?.enterpriseId) return;
  await trx
    .insertInto('agencyConsent')
    .values({
      enterpriseId: applicant.enterpriseId,
      agentUserId: agent.id,
      mayRegisterProject: true,
      mayApplyStage: true,
      validUntil: `${new Date().getUTCFullYear() + 3}-12-31`,
      note: '演示数据：授权委托书',
      grantedBy: applicant.id,
      grantedAt: new Date(),
    })
    .execute();
}
