/**
 * 待办箱 and the window's queue as Excel workbooks: the same search, filters and order as the lists,
 * every matching row (the sheet itself: shared/workbook).
 */
import { listWorkbook, type WorkbookColumn } from '../../shared/workbook';
import { beijingDateTime } from '../calendar/calendar.rules';
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

const columns: WorkbookColumn<InboxExportRow>[] = [
  { header: '审批事项', width: 36, value: (r) => r.itemName },
  { header: '项目代码', width: 26, value: (r) => r.projectCode },
  { header: '项目名称', width: 36, value: (r) => r.projectName },
  { header: '环节', width: 8, value: (r) => (r.currentStep ? (stepNames[r.currentStep] ?? '') : '') },
  { header: '办件状态', width: 12, value: (r) => r.statusName },
  { header: '受理日', width: 12, value: (r) => r.startedOn },
  { header: '办理期限', width: 12, value: (r) => r.clock.deadline },
  {
    header: '计时',
    width: 8,
    value: (r) => (clockNames[r.clock.clockState] ?? '') + (r.clock.paused ? '（暂停）' : ''),
  },
  { header: '剩余工作日', width: 12, value: (r) => r.clock.remainingWorkingDays },
  { header: '逾期工作日', width: 12, value: (r) => r.clock.overdueWorkingDays },
];

export function inboxWorkbook(rows: readonly InboxExportRow[], heading: string): Promise<Buffer> {
  return listWorkbook('待办', columns, rows, heading);
}

export interface ApplicationExportRow {
  projectCode: string;
  projectName: string;
  enterpriseName: string;
  districtName: string;
  stageName: string;
  statusName: string;
  submittedAt: Date;
  expectedCompletion: string | null;
}

const applicationColumns: WorkbookColumn<ApplicationExportRow>[] = [
  { header: '项目代码', width: 26, value: (r) => r.projectCode },
  { header: '项目名称', width: 36, value: (r) => r.projectName },
  { header: '建设单位', width: 30, value: (r) => r.enterpriseName },
  { header: '所在区县', width: 12, value: (r) => r.districtName },
  { header: '阶段', width: 18, value: (r) => r.stageName },
  { header: '状态', width: 10, value: (r) => r.statusName },
  { header: '提交时间', width: 18, value: (r) => beijingDateTime(r.submittedAt) },
  { header: '预计办结', width: 12, value: (r) => r.expectedCompletion },
];

export function applicationsWorkbook(
  rows: readonly ApplicationExportRow[],
  heading: string,
): Promise<Buffer> {
  return listWorkbook('申报', applicationColumns, rows, heading);
}
