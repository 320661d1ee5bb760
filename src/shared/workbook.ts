/**
 * Export of a list to Excel (issue 16 §6): one sheet, a bold header row, the rows, and a closing line
 * saying when it was exported and how many rows matched. Every list's export is this one rule.
 */
import ExcelJS from 'exceljs';

export interface WorkbookColumn<R> {
  header: string;
  width: number;
  value: (row: R) => string | number | null;
}

export async function listWorkbook<R>(
  sheetName: string,
  columns: readonly WorkbookColumn<R>[],
  rows: readonly R[],
  heading: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '郑州市工程建设项目审批管理系统';
  const sheet = wb.addWorksheet(sheetName);
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow(Object.fromEntries(columns.map((c, i) => [`c${i}`, c.value(r) ?? ''])));
  }
  sheet.addRow({});
  sheet.addRow({ c0: heading });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The closing line of an export: when (Beijing time), how many matched, how many the sheet lists. */
export function exportHeading(at: string, total: number, listed: number): string {
  return `导出于 ${at}（北京时间），共 ${total} 件` + (listed < total ? `，本表列出前 ${listed} 件` : '');
}
