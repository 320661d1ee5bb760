/**
 * Demo data for city and districts in one system (issue 15): 中牟县 and 金水区 get departments of five
 * lines and a 政务办 (window, supervisor), their staff (password Demo#2026zz), and some items are
 * handled at district level, so a project registered in 中牟县 shows its tasks going to 中牟县's
 * departments while city-level items stay with the city. Never runs in production.
 *
 * Accounts: <prefix><line>.reviewer / .senior / .head (and .coordinator for stage leads), e.g.
 * zmzrzy.reviewer (中牟县自然资源和规划局 初核); zm.window, zm.supervisor; js… for 金水区.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { hashPassword } from '../modules/identity/password';
import { DEMO_PASSWORD } from './demo';

export const demoDistricts = [
  { code: '410122', name: '中牟县', prefix: 'zm' },
  { code: '410105', name: '金水区', prefix: 'js' },
] as const;

/** The city lines the demo districts have departments of (the others stay city-only). */
const LINES = ['fgw', 'zrzy', 'cjj', 'sthj', 'rfb', 'zwb'];

/** 事权 of the demo: district-level items, and two split by total investment (万元). */
export const demoJurisdictions: {
  itemCode: string;
  level: 'district' | 'investment';
  cityFrom?: number;
  note: string;
}[] = [
  { itemCode: 'ZZ-FGW-005', level: 'district', note: '企业投资项目备案：属地办理' },
  { itemCode: 'ZZ-FGW-004', level: 'investment', cityFrom: 50000, note: '总投资 5 亿元及以上由市级核准' },
  { itemCode: 'ZZ-ZRZY-002', level: 'district', note: '建设用地规划许可：属地办理' },
  { itemCode: 'ZZ-ZRZY-006', level: 'district', note: '设计方案审查：属地办理' },
  { itemCode: 'ZZ-ZRZY-007', level: 'investment', cityFrom: 100000, note: '总投资 10 亿元及以上由市级核发' },
  { itemCode: 'ZZ-CJJ-001', level: 'district', note: '施工许可：属地办理' },
  { itemCode: 'ZZ-CJJ-007', level: 'district', note: '竣工验收备案：属地办理' },
  { itemCode: 'ZZ-STHJ-002', level: 'district', note: '环评登记表备案：属地办理' },
  { itemCode: 'ZZ-RFB-003', level: 'district', note: '防空地下室建设审批：属地办理' },
];

/** The district department's name: the city one's with the district in place of 市. */
function districtName(cityName: string, district: string) {
  return cityName.startsWith('市') ? `${district}${cityName.slice(1)}` : `${district}${cityName}`;
}

export async function seedDemoDistricts(db: Kysely<DB>, now = new Date()): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    if (
      await trx
        .selectFrom('department')
        .select('code')
        .where('districtCode', 'is not', null)
        .limit(1)
        .executeTakeFirst()
    ) {
      return 0;
    }
    const city = await trx
      .selectFrom('department')
      .select(['code', 'name', 'kind', 'leadsStages'])
      .where('code', 'in', LINES)
      .execute();
    const users: {
      username: string;
      displayName: string;
      role: string;
      departmentCode: string;
      districtCode: string;
    }[] = [];
    for (const d of demoDistricts) {
      for (const c of city) {
        const code = `${d.prefix}${c.code}`;
        const name = districtName(c.name, d.name);
        await trx
          .insertInto('department')
          .values({
            code,
            name,
            kind: c.kind,
            leadsStages: c.leadsStages,
            districtCode: d.code,
            parentCode: c.code,
          })
          .execute();
        const staff = (role: string, label: string) =>
          users.push({
            username: `${code}.${role}`,
            displayName: `${name} ${label}`,
            role,
            departmentCode: code,
            districtCode: d.code,
          });
        if (c.code === 'zwb') {
          users.push(
            {
              username: `${d.prefix}.window`,
              displayName: `${d.name}综合窗口`,
              role: 'window',
              departmentCode: code,
              districtCode: d.code,
            },
            {
              username: `${d.prefix}.supervisor`,
              displayName: `${d.name}电子监察`,
              role: 'supervisor',
              departmentCode: code,
              districtCode: d.code,
            },
          );
          continue;
        }
        staff('reviewer', '初核');
        staff('senior', '复核');
        staff('head', '负责人');
        if (c.leadsStages.length > 0) staff('coordinator', '牵头协调');
      }
    }
    await trx
      .insertInto('appUser')
      .values(users.map((u) => ({ ...u, passwordHash, passwordExpiryExempt: true })))
      .execute();
    await trx
      .insertInto('itemJurisdiction')
      .values(
        demoJurisdictions.map((j) => ({
          itemCode: j.itemCode,
          level: j.level,
          cityFromInvestment: j.cityFrom ?? null,
          note: j.note,
          updatedAt: now,
          updatedBy: null,
        })),
      )
      .onConflict((oc) => oc.column('itemCode').doNothing())
      .execute();
    return users.length;
  });
}
