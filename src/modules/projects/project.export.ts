/** 我的项目 as an Excel workbook: the same search, filters and order as the list (shared/workbook). */
import { applicationStateNames } from '../approvals/lifecycle.rules';
import { beijingDateTime } from '../calendar/calendar.rules';
import { listWorkbook, type WorkbookColumn } from '../../shared/workbook';
import type { StageStatus } from './project.rules';

const stageStatusNames: Record<StageStatus, string> = {
  ...applicationStateNames,
  locked: '未开放',
  open: '可申报',
};

export interface ProjectExportRow {
  code: string;
  name: string;
  enterpriseName: string;
  districtName: string;
  createdAt: string;
  currentStage: { name: string; status: StageStatus } | null;
}

const columns: WorkbookColumn<ProjectExportRow>[] = [
  { header: '项目代码', width: 26, value: (r) => r.code },
  { header: '项目名称', width: 36, value: (r) => r.name },
  { header: '建设单位', width: 30, value: (r) => r.enterpriseName },
  { header: '所在区县', width: 12, value: (r) => r.districtName },
  {
    header: '当前阶段',
    width: 28,
    value: (r) =>
      r.currentStage
        ? `${r.currentStage.name}（${stageStatusNames[r.currentStage.status]}）`
        : '四个阶段均已办结',
  },
  { header: '登记时间', width: 20, value: (r) => beijingDateTime(new Date(r.createdAt)) },
];

export function projectsWorkbook(rows: readonly ProjectExportRow[], heading: string): Promise<Buffer> {
  return listWorkbook('项目', columns, rows, heading);
}
