/** 待办箱 as an Excel workbook: the same search, filters and order as the list, every matching task. */
import ExcelJS from 'exceljs';
import type { TaskClock } from './clock.rules';

const stepNames: Record<string, string> = { initial: '初核', final: '复核' };
const clockNames: Record<string, string> = { normal: '正常', warning: '预警', overdue: '逾期' };

export interface InboxExportRow {
  itemName: string;
  projectCode: string;
  projectName: string;
  currentStep: string | null;
  statusName: string;
  startedOn: string;
  clock: Pick<
    TaskClock,
    'deadline' | 'clockState' | 'remainingWorkingDays' | 'overdueWorkingDays' | 'paused'
  >;
}

export async function inboxWorkbook(rows: readonly InboxExportRow[], heading: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '郑州市工程建设项目审批管理系统';
  const sheet = wb.addWorksheet('待办');
  sheet.columns = [
    { header: '审批事项', key: 'itemName', width: 36 },
    { header: '项目代码', key: 'projectCode', width: 26 },
    { header: '项目名称', key: 'projectName', width: 36 },
    { header: '环节', key: 'step', width: 8 },
    { header: '办件状态', key: 'statusName', width: 12 },
    { header: '受理日', key: 'startedOn', width: 12 },
    { header: '办理期限', key: 'deadline', width: 12 },
    { header: '计时', key: 'clockState', width: 8 },
    { header: '剩余工作日', key: 'remaining', width: 12 },
    { header: '逾期工作日', key: 'overdue', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow({
      itemName: r.itemName,
      projectCode: r.projectCode,
      projectName: r.projectName,
      step: r.currentStep ? (stepNames[r.currentStep] ?? '') : '',
      statusName: r.statusName,
      startedOn: r.startedOn,
      deadline: r.clock.deadline,
      clockState: (clockNames[r.clock.clockState] ?? '') + (r.clock.paused ? '（暂停）' : ''),
      remaining: r.clock.remainingWorkingDays,
      overdue: r.clock.overdueWorkingDays,
    });
  }
  sheet.addRow({});
  sheet.addRow({ itemName: heading });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
