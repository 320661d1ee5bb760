/**
 * 年度实施计划 (task 53): the planned projects of a year drawn from the blueprint — site, enterprise,
 * each department's early opinion, and how ready the project is to apply — as a list, a map (the
 * sites as GeoJSON) and an Excel workbook.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { beijingDate } from '../calendar/calendar.rules';
import * as repo from './planned.repository';

export type Readiness = 'registered' | 'blocked' | 'ready' | 'overdue' | 'consulting';

export const readinessNames: Record<Readiness, string> = {
  registered: '已登记立项',
  blocked: '选址冲突',
  ready: '意见齐备，可申报',
  overdue: '意见逾期未复',
  consulting: '征求意见中',
};

/** Pure: registered first; a blocked site is not ready whatever the opinions; then the opinions. */
export function readiness(p: {
  used: boolean;
  verdict: string | null;
  opinions: { answered: boolean; deadline: string }[];
  today: string;
}): Readiness {
  if (p.used) return 'registered';
  if (p.verdict === 'blocked') return 'blocked';
  if (p.opinions.every((o) => o.answered)) return 'ready';
  if (p.opinions.some((o) => !o.answered && o.deadline < p.today)) return 'overdue';
  return 'consulting';
}

export async function annualPlan(db: Kysely<DB>, year: number, now: Date) {
  const rows = await repo.listByYear(db, year);
  const opinions = await repo.listOpinionsOf(
    db,
    rows.map((r) => r.id),
  );
  const today = beijingDate(now);
  const projects = rows.map((r) => {
    const own = opinions.filter((o) => o.plannedProjectId === r.id);
    const verdict = (r.siteCheck as { verdict?: string } | null)?.verdict ?? null;
    const state = readiness({
      used: r.usedByProjectId !== null,
      verdict,
      opinions: own.map((o) => ({ answered: o.opinion !== null, deadline: o.deadline })),
      today,
    });
    return {
      id: r.id,
      name: r.name,
      enterpriseId: r.enterpriseId,
      enterpriseName: r.enterpriseName,
      siteAreaM2: Math.round(r.siteAreaM2 * 100) / 100,
      site: JSON.parse(r.siteGeoJson) as unknown,
      siteVerdict: verdict,
      readiness: state,
      readinessName: readinessNames[state],
      projectId: r.usedByProjectId,
      projectCode: r.projectCode,
      opinions: own.map((o) => ({
        departmentCode: o.departmentCode,
        departmentName: o.departmentName,
        deadline: o.deadline,
        status:
          o.opinion !== null
            ? ('answered' as const)
            : o.deadline < today
              ? ('overdue' as const)
              : ('pending' as const),
        opinion: o.opinion,
        conditions: o.conditions ?? [],
      })),
    };
  });
  const counts = Object.fromEntries(
    (Object.keys(readinessNames) as Readiness[]).map((k) => [
      k,
      projects.filter((p) => p.readiness === k).length,
    ]),
  ) as Record<Readiness, number>;
  return { year, total: projects.length, counts, readinessNames, projects };
}

export type AnnualPlan = Awaited<ReturnType<typeof annualPlan>>;

const statusNames = { answered: '已复', overdue: '逾期', pending: '待复' } as const;

export async function annualPlanWorkbook(plan: AnnualPlan): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '郑州市工程建设项目审批管理系统';
  const sheet = wb.addWorksheet(`${plan.year}年度实施计划`);
  sheet.columns = [
    { header: '序号', key: 'no', width: 6 },
    { header: '项目名称', key: 'name', width: 30 },
    { header: '建设单位', key: 'enterprise', width: 30 },
    { header: '用地面积 (m²)', key: 'area', width: 14 },
    { header: '选址检测', key: 'verdict', width: 10 },
    { header: '成熟度', key: 'readiness', width: 18 },
    { header: '项目代码', key: 'code', width: 28 },
    { header: '部门意见', key: 'opinions', width: 60 },
    { header: '建设条件', key: 'conditions', width: 60 },
  ];
  const verdictNames: Record<string, string> = { clear: '无冲突', warning: '需关注', blocked: '冲突' };
  plan.projects.forEach((p, i) => {
    const row = sheet.addRow({
      no: i + 1,
      name: p.name,
      enterprise: p.enterpriseName ?? '',
      area: p.siteAreaM2,
      verdict: p.siteVerdict ? (verdictNames[p.siteVerdict] ?? p.siteVerdict) : '',
      readiness: p.readinessName,
      code: p.projectCode ?? '',
      opinions: p.opinions
        .map((o) => `${o.departmentName}（${statusNames[o.status]}）${o.opinion ? `：${o.opinion}` : ''}`)
        .join('\n'),
      conditions: p.opinions.flatMap((o) => o.conditions.map((c) => `${o.departmentName}: ${c}`)).join('\n'),
    });
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
