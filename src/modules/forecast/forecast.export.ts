/** The reform scenario report as an Excel workbook: totals and distributions side by side, the changes, the stages. */
import ExcelJS from 'exceljs';
import type { ScenarioComparison } from './forecast.schemas';

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

export async function scenarioWorkbook(c: ScenarioComparison): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '郑州市工程建设项目审批管理系统';
  const summary = wb.addWorksheet('对比');
  summary.columns = [
    { header: '指标 Metric', key: 'metric', width: 40 },
    { header: '现行流程 Live', key: 'live', width: 18 },
    { header: '改革方案 Scenario', key: 'sandbox', width: 18 },
    { header: '变化 Change', key: 'change', width: 14 },
  ];
  const row = (metric: string, live: number, sandbox: number) => ({
    metric,
    live,
    sandbox,
    change: sandbox - live,
  });
  summary.addRows([
    { metric: '方案 Scenario', live: `${c.templateName} v${c.templateVersion}`, sandbox: c.name, change: '' },
    row('全流程时限 (工作日) Total limit', c.live.totalWorkingDays, c.sandbox.totalWorkingDays),
    row('预计全流程 P50 (工作日)', c.live.distribution.p50WorkingDays, c.sandbox.distribution.p50WorkingDays),
    row('预计全流程 P90 (工作日)', c.live.distribution.p90WorkingDays, c.sandbox.distribution.p90WorkingDays),
    ...c.live.withinLines.map((l, i) => ({
      metric: `不超过 ${l.line} 个工作日的比例 Share within ${l.line}`,
      live: pct(l.share),
      sandbox: pct(c.sandbox.withinLines[i]?.share ?? 0),
      change: '',
    })),
    { metric: `模拟次数 Runs`, live: c.runs, sandbox: c.runs, change: '' },
    { metric: '依据 Basis', live: c.live.basis, sandbox: c.sandbox.basis, change: '' },
  ]);
  const stages = wb.addWorksheet('阶段');
  stages.columns = [
    { header: '方案 Side', key: 'side', width: 12 },
    { header: '阶段 Stage', key: 'name', width: 30 },
    { header: '时限 Limit', key: 'timeLimitWorkingDays', width: 12 },
    { header: '预计办结 P50 (自首次受理)', key: 'p50WorkingDays', width: 22 },
    { header: '预计办结 P90', key: 'p90WorkingDays', width: 14 },
  ];
  stages.addRows([
    ...c.live.stages.map((s) => ({ side: '现行', ...s })),
    ...c.sandbox.stages.map((s) => ({ side: '方案', ...s })),
  ]);
  const changes = wb.addWorksheet('改革内容');
  changes.columns = [
    { header: '类型 Kind', key: 'kind', width: 18 },
    { header: '内容 Change', key: 'text', width: 60 },
  ];
  changes.addRows([
    ...c.changes.limits.map((l) => ({
      kind: '调整时限',
      text: `${l.itemCode} → ${l.promisedTimeLimitDays} 个工作日`,
    })),
    ...c.changes.parallel.map((code) => ({ kind: '改为并行', text: code })),
    ...c.changes.mergeItems.map((m) => ({ kind: '合并事项', text: `${m.items.join('、')} 并入 ${m.into}` })),
    ...c.changes.mergeStages.map((g) => ({ kind: '合并阶段', text: g.join('+') })),
    ...(c.changes.commitmentShare !== null
      ? [{ kind: '告知承诺比例', text: pct(c.changes.commitmentShare) }]
      : []),
    ...(c.changes.deficiencyShare !== null
      ? [{ kind: '容缺受理比例', text: pct(c.changes.deficiencyShare) }]
      : []),
    ...c.problems.map((p) => ({ kind: '校验提示', text: p.message })),
  ]);
  const dist = wb.addWorksheet('分布');
  dist.columns = [
    { header: '全流程工作日 Working days', key: 'workingDays', width: 22 },
    { header: '现行 Live runs', key: 'live', width: 14 },
    { header: '方案 Scenario runs', key: 'sandbox', width: 16 },
  ];
  const days = [
    ...new Set(
      [...c.live.distribution.histogram, ...c.sandbox.distribution.histogram].map((h) => h.workingDays),
    ),
  ].sort((a, b) => a - b);
  const runsAt = (h: { workingDays: number; runs: number }[], d: number) =>
    h.find((x) => x.workingDays === d)?.runs ?? 0;
  dist.addRows(
    days.map((d) => ({
      workingDays: d,
      live: runsAt(c.live.distribution.histogram, d),
      sandbox: runsAt(c.sandbox.distribution.histogram, d),
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
