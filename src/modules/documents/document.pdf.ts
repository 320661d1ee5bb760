/**
 * Renders an administrative document as an A4 PDF the applicant can print: the issuer's name and the
 * document's title in red, its 文号, the addressee, the body paragraphs, a table of items where the kind
 * has one, the issuer's 电子印章 (drawn from its name) over the date, and the SM2 signature with its key id.
 * The joint module prints the design firms' lifelong-responsibility commitments with it too.
 */
import PDFDocument from 'pdfkit';
import { cjkFonts } from '../certificates/certificate.pdf';

export interface DocumentPdfInput {
  title: string;
  number: string;
  issuerName: string;
  addressee: string;
  paragraphs: string[];
  table?: { head: string[]; rows: string[][] };
  issuedOn: string;
  signature: string;
  signerKeyId: string;
  /** The seal's lower line; 审批专用章 for the departments' documents. */
  sealLabel?: string;
}

const RED = '#c00000';

/**
 * The 电子印章: a red ring, the issuer's name around its upper arc, a star and 专用章 below it. The
 * certificates print it too; the document must have registered the 'cjk-bold' font.
 */
export function drawSeal(doc: PDFKit.PDFDocument, cx: number, cy: number, name: string, label: string) {
  const r = 58;
  doc.save();
  doc.opacity(0.85).lineWidth(3).circle(cx, cy, r).stroke(RED);
  const chars = [...name];
  const span = Math.min(240, 22 * chars.length);
  const start = -90 - span / 2;
  const step = chars.length > 1 ? span / (chars.length - 1) : 0;
  doc.font('cjk-bold').fontSize(13).fillColor(RED);
  chars.forEach((ch, i) => {
    const angle = start + i * step;
    const rad = (angle * Math.PI) / 180;
    const x = cx + (r - 16) * Math.cos(rad);
    const y = cy + (r - 16) * Math.sin(rad);
    doc.save();
    doc.rotate(angle + 90, { origin: [x, y] });
    doc.text(ch, x - 6.5, y - 7, { lineBreak: false });
    doc.restore();
  });
  const star: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const rad = ((-90 + i * 36) * Math.PI) / 180;
    const len = i % 2 === 0 ? 16 : 6.5;
    star.push([cx + len * Math.cos(rad), cy + len * Math.sin(rad)]);
  }
  doc.polygon(...star).fill(RED);
  doc.font('cjk-bold').fontSize(9).fillColor(RED);
  doc.text(label, cx - 24, cy + 22, { width: 48, align: 'center', lineBreak: false });
  doc.restore();
}

export async function renderDocumentPdf(input: DocumentPdfInput): Promise<Buffer> {
  const { regular, bold } = cjkFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 72,
    info: { Title: `${input.title} ${input.number}`, Author: input.issuerName, Subject: '行政文书' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', regular);
  doc.registerFont('cjk-bold', bold);
  const left = 72;
  const inner = doc.page.width - 2 * left;

  doc
    .font('cjk-bold')
    .fontSize(20)
    .fillColor(RED)
    .text(input.issuerName, left, 72, { width: inner, align: 'center' });
  doc.moveDown(0.3);
  doc.font('cjk-bold').fontSize(22).fillColor(RED).text(input.title, { width: inner, align: 'center' });
  doc.moveDown(0.4);
  doc.font('cjk').fontSize(12).fillColor('black').text(input.number, { width: inner, align: 'center' });
  const ruleY = doc.y + 8;
  doc
    .lineWidth(1.5)
    .moveTo(left, ruleY)
    .lineTo(left + inner, ruleY)
    .stroke(RED);
  doc.y = ruleY + 18;

  doc.font('cjk').fontSize(12).fillColor('black').text(`${input.addressee}：`, left, doc.y, { width: inner });
  doc.moveDown(0.6);
  for (const p of input.paragraphs) {
    doc.text(`\u3000\u3000${p}`, { width: inner, lineGap: 4 });
    doc.moveDown(0.5);
  }
  if (input.table && input.table.rows.length > 0) {
    const cols = input.table.head.length;
    const widths = cols === 2 ? [40, inner - 40] : Array.from({ length: cols }, () => inner / cols);
    const drawRow = (cells: string[], font: string) => {
      const top = doc.y;
      let x = left;
      let height = 0;
      doc.font(font).fontSize(10.5);
      cells.forEach((cell, i) => {
        height = Math.max(height, doc.heightOfString(cell, { width: widths[i]! - 8 }) + 8);
      });
      cells.forEach((cell, i) => {
        doc.rect(x, top, widths[i]!, height).lineWidth(0.6).stroke('#555');
        doc.fillColor('black').text(cell, x + 4, top + 4, { width: widths[i]! - 8 });
        x += widths[i]!;
      });
      doc.y = top + height;
    };
    drawRow(input.table.head, 'cjk-bold');
    for (const row of input.table.rows) drawRow(row, 'cjk');
    doc.moveDown(1);
  }

  const sealY = Math.max(doc.y + 80, 560);
  const right = left + inner;
  doc
    .font('cjk')
    .fontSize(12)
    .fillColor('black')
    .text(input.issuerName, left, sealY - 10, { width: inner - 20, align: 'right' })
    .text(
      input.issuedOn.replace(
        /^(\d{4})-(\d{2})-(\d{2})$/,
        (_, y, m, d) => `${y}年${Number(m)}月${Number(d)}日`,
      ),
      {
        width: inner - 20,
        align: 'right',
      },
    );
  drawSeal(doc, right - 80, sealY, input.issuerName, input.sealLabel ?? '审批专用章');

  doc
    .font('cjk')
    .fontSize(7.5)
    .fillColor('#555')
    .text(`电子签名（SM2，密钥 ${input.signerKeyId}）：${input.signature}`, left, doc.page.height - 110, {
      width: inner,
    });
  doc.end();
  return done;
}
