/**
 * The monthly 定期通报 PDF (issue 8 item 10): every department row is laid out on one line, also past
 * the first page (the last rows used to come out one value a line, a page each). Read back with
 * pdftotext (poppler-utils; CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reportPdf } from './stats.export';
import type { ReportData } from './stats.service';

const departments: ReportData['departments'] = Array.from({ length: 70 }, (_, i) => ({
  departmentCode: `D${i}`,
  departmentName: `测试部门${i + 1}`,
  tasks: 100 + i,
  completed: 90 + i,
  onTimeRate: 0.95,
  avgDays: 3.5,
  overdue: i,
  extended: i % 3,
  ordersIssued: 2,
  ordersEscalated: 1,
}));

const report: ReportData = {
  month: '2026-03',
  from: '2026-03-01',
  to: '2026-03-31',
  totals: {
    applications: 1,
    tasks: 200,
    completed: 190,
    onTime: 180,
    overdueTasks: 3,
    commitmentTasks: 0,
    deficiencyApplications: 0,
    onTimeRate: 0.9474,
    commitmentShare: 0,
    deficiencyShare: 0,
    extendedTasks: 5,
  },
  departments,
};

describe('monthly report PDF', () => {
  it('lays every department out on one line, on as many pages as the rows need, header repeated', async () => {
    const pdf = await reportPdf(report);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    const lines = text.split('\n').map((l) => l.trim());
    for (const d of departments) {
      const values = [d.departmentName, d.tasks, d.completed, '95%', 3.5, d.overdue, d.extended, 2, 1];
      const line = lines.find((l) => l.startsWith(`${d.departmentName} `));
      expect(line, d.departmentName).toBeDefined();
      expect(line!.split(/\s+/)).toEqual(values.map(String));
    }
    const pages = text.split('\f').filter((p) => p.trim().length > 0);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThanOrEqual(4);
    for (const page of pages) expect(page).toMatch(/部门\s+办件\s+办结\s+按时率\s+平均用时\s+逾期\s+延期/);
  });
});
