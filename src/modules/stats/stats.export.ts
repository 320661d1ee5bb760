/** Downloads: the overview as an Excel workbook and the monthly 定期通报 as Excel and PDF (Chinese font). */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { Overview, ReportData } from './stats.service';

const require = createRequire(import.meta.url);
let font: Buffer | undefined;
/** The certificates module's Noto Sans SC (package @expo-google-fonts/noto-sans-sc), read once. */
function cjkFont() {
  font ??= fs.readFileSync(
    require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  );
  return font;
}

const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`);

const groupColumns = [
  { header: '代码 Code', key: 'key', width: 18 },
  { header: '名称 Name', key: 'name', width: 36 },
  { header: '办件数 Tasks', key: 'tasks', width: 12 },
  { header: '办结数 Completed', key: 'completed', width: 14 },
  { header: '按时办结 On time', key: 'onTime', width: 14 },
  { header: '逾期 Overdue', key: 'overdue', width: 12 },
  { header: '延期 Extended', key: 'extended', width: 12 },
  { header: '按时率 On-time rate', key: 'onTimeRate', width: 16 },
  { header: '平均用时 Avg days', key: 'avgDays', width: 14 },
  { header: '中位数 Median', key: 'medianDays', width: 14 },
  { header: 'P90', key: 'p90Days', width: 10 },
];

export async function overviewWorkbook(o: Overview): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '郑州市工程建设项目审批管理系统';
  const summary = wb.addWorksheet('概览');
  summary.columns = [
    { header: '指标 Metric', key: 'metric', width: 30 },
    { header: '数值 Value', key: 'value', width: 16 },
  ];
  const t = o.totals;
  summary.addRows([
    { metric: '申报件数 applications', value: t.applications },
    { metric: '办件数 tasks', value: t.tasks },
    { metric: '办结数 completed', value: t.completed },
    { metric: '按时办结 on time', value: t.onTime },
    { metric: '按时办结率 on-time rate', value: t.onTimeRate },
    { metric: '逾期办件 overdue tasks', value: t.overdueTasks },
    { metric: '延期办件 extended tasks', value: t.extendedTasks },
    { metric: '告知承诺占比 commitment share', value: t.commitmentShare },
    { metric: '容缺受理占比 deficiency share', value: t.deficiencyShare },
    { metric: '超过100个工作日的项目 projects over target', value: o.wholeProcess.over },
    { metric: '100个工作日内的项目 projects within target', value: o.wholeProcess.within },
    { metric: '在办项目 projects still running', value: o.wholeProcess.running.count },
  ]);
  const sheets: [string, Overview['byItem']][] = [
    ['按事项', o.byItem],
    ['按部门', o.byDepartment],
    ['按阶段', o.byStage],
    ['按主题', o.byTemplate],
  ];
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    ws.columns = groupColumns;
    ws.addRows(rows);
  }
  const projects = wb.addWorksheet('项目全流程');
  projects.columns = [
    { header: '项目代码 Code', key: 'projectCode', width: 28 },
    { header: '项目名称 Name', key: 'projectName', width: 30 },
    { header: '开始 Started', key: 'startedOn', width: 12 },
    { header: '主线办结 Main line done', key: 'completedOn', width: 14 },
    { header: '工作日 Working days', key: 'workingDays', width: 14 },
  ];
  projects.addRows(o.wholeProcess.projects);
  // Running projects apart: their elapsed days are not whole-process times (issue 8 item 7).
  const runningSheet = wb.addWorksheet('在办项目');
  runningSheet.columns = [
    { header: '项目代码 Code', key: 'projectCode', width: 28 },
    { header: '项目名称 Name', key: 'projectName', width: 30 },
    { header: '开始 Started', key: 'startedOn', width: 12 },
    { header: '已办结主线阶段 Main stages done', key: 'done', width: 16 },
    { header: '已用工作日 Elapsed working days', key: 'workingDays', width: 16 },
  ];
  runningSheet.addRows(
    o.wholeProcess.running.projects.map((p) => ({
      ...p,
      done: `${p.completedStages}/${p.mainStages}`,
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const reportColumns = [
  { header: '部门 Department', key: 'departmentName', width: 30 },
  { header: '办件 Tasks', key: 'tasks', width: 10 },
  { header: '办结 Completed', key: 'completed', width: 12 },
  { header: '按时率 On-time', key: 'onTimeRate', width: 12 },
  { header: '平均用时 Avg', key: 'avgDays', width: 12 },
  { header: '逾期 Overdue', key: 'overdue', width: 10 },
  { header: '延期 Extended', key: 'extended', width: 12 },
  { header: '督办 Orders', key: 'ordersIssued', width: 10 },
  { header: '升级 Escalated', key: 'ordersEscalated', width: 12 },
];

const districtColumns = [
  { header: '排名 Rank', key: 'rank', width: 8 },
  { header: '区县 District', key: 'districtName', width: 20 },
  { header: '办件 Tasks', key: 'tasks', width: 10 },
  { header: '办结 Completed', key: 'completed', width: 12 },
  { header: '按时率 On-time', key: 'onTimeRate', width: 12 },
  { header: '平均用时 Avg', key: 'avgDays', width: 12 },
  { header: '逾期 Overdue', key: 'overdue', width: 10 },
  { header: '全流程平均 Whole process avg', key: 'wholeProcessAvgDays', width: 16 },
  { header: '超100日 Over 100', key: 'wholeProcessOver', width: 12 },
];

/** The report's title: the city's, or the district's (issue 15). */
export function reportTitle(r: ReportData): string {
  return `${r.districtName ?? ''}工程建设项目审批系统应用情况通报（${r.month}）`;
}

export async function reportWorkbook(r: ReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${r.month} 通报`);
  ws.columns = reportColumns;
  ws.addRows(r.departments.map((d) => ({ ...d, onTimeRate: pct(d.onTimeRate) })));
  if (r.districts) {
    const ranking = wb.addWorksheet('区县排名');
    ranking.columns = districtColumns;
    ranking.addRows(r.districts.map((d) => ({ ...d, onTimeRate: pct(d.onTimeRate) })));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function reportPdf(r: ReportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    info: { Title: reportTitle(r) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk').fontSize(18).text(reportTitle(r), { align: 'center' });
  doc.moveDown(0.5).fontSize(10);
  doc.text(
    `统计期间 ${r.from} 至 ${r.to}：办件 ${r.totals.tasks} 件，办结 ${r.totals.completed} 件，按时办结率 ${pct(r.totals.onTimeRate)}，逾期 ${r.totals.overdueTasks} 件。`,
  );
  doc.moveDown(0.5);
  const left = doc.page.margins.left;
  const widths = [200, 60, 60, 70, 70, 60, 60, 60, 60];
  const header = ['部门', '办件', '办结', '按时率', '平均用时', '逾期', '延期', '督办', '升级'];
  const rowHeight = doc.currentLineHeight(true) * 1.4;
  // Each row is placed explicitly and a full page starts a new one with the header again: a cell
  // written below the bottom margin made pdfkit open a page per cell (one value a line).
  const row = (cells: string[]) => {
    if (doc.y + rowHeight > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (cells !== header) row(header);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: widths[i]!, lineBreak: false });
      x += widths[i]!;
    });
    doc.x = left;
    doc.y = y + rowHeight;
  };
  row(header);
  for (const d of r.departments) {
    row([
      d.departmentName,
      String(d.tasks),
      String(d.completed),
      pct(d.onTimeRate),
      String(d.avgDays ?? ''),
      String(d.overdue),
      String(d.extended ?? ''),
      String(d.ordersIssued),
      String(d.ordersEscalated),
    ]);
  }
  if (r.districts && r.districts.length > 0) {
    doc.moveDown(1);
    doc.text('区县排名（按时办结率，其次逾期件数少，其次平均用时短）：');
    doc.moveDown(0.3);
    for (const d of r.districts) {
      doc.text(
        `${d.rank}. ${d.districtName}：办件 ${d.tasks} 件，按时办结率 ${pct(d.onTimeRate)}，平均用时 ${d.avgDays ?? '—'} 个工作日，逾期 ${d.overdue} 件，全流程平均 ${d.wholeProcessAvgDays ?? '—'} 个工作日，超过 100 个工作日 ${d.wholeProcessOver} 个项目`,
        left,
      );
    }
  }
  doc.end();
  return done;
}
