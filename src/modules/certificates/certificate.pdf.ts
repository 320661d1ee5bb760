/**
 * Renders one certificate as an A4 PDF: Chinese text in an embedded Noto Sans SC subset (so the text
 * is extractable and prints the same everywhere), a QR code to the public verification page, the SM2
 * signature with its key id, the issuer's 电子印章, and a watermark when simulated (模拟审批) or revoked.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { drawSeal } from '../documents/document.pdf';
import { certificateTypes, detailRows, isCertificateType, validityText } from './certificate.rules';

const require = createRequire(import.meta.url);
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';

let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** Read once: the TTFs are ~10 MB each; pdfkit embeds only the glyphs a document uses. */
export function cjkFonts() {
  fonts ??= {
    regular: fs.readFileSync(require.resolve(`${FONT_PACKAGE}/400Regular/NotoSansSC_400Regular.ttf`)),
    bold: fs.readFileSync(require.resolve(`${FONT_PACKAGE}/700Bold/NotoSansSC_700Bold.ttf`)),
  };
  return fonts;
}

export interface CertificatePdfInput {
  id: string;
  type: string;
  title: string;
  content: Record<string, unknown>;
  issuedOn: string;
  validUntil: string;
  simulated: boolean;
  revoked: boolean;
  signature: string;
  signerKeyId: string;
  verifyUrl: string;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const { regular, bold } = cjkFonts();
  const info = isCertificateType(input.type) ? certificateTypes[input.type] : undefined;
  const c = input.content;
  const holder = (c.holder ?? {}) as Record<string, unknown>;
  const issuer = (c.issuer ?? {}) as Record<string, unknown>;
  const document = (c.document ?? {}) as Record<string, unknown>;
  const details = (c.details ?? {}) as Record<string, unknown>;
  const qr = await QRCode.toBuffer(input.verifyUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 240,
  });

  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `${info?.name ?? input.title} ${str(c.identifier)}`,
      Author: str(issuer.name),
      Subject: '电子证照',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', regular);
  doc.registerFont('cjk-bold', bold);

  const { width, height } = doc.page;
  const left = 72;
  const inner = width - 2 * left;
  doc
    .lineWidth(3)
    .rect(28, 28, width - 56, height - 56)
    .stroke('#8b0000');
  doc
    .lineWidth(0.8)
    .rect(36, 36, width - 72, height - 72)
    .stroke('#8b0000');

  let y = 70;
  if (info?.heading) {
    doc
      .font('cjk-bold')
      .fontSize(20)
      .fillColor('#8b0000')
      .text(info.heading, left, y, { width: inner, align: 'center' });
    y += 34;
  }
  doc
    .font('cjk-bold')
    .fontSize(30)
    .fillColor('#8b0000')
    .text(info?.name ?? input.title, left, y, { width: inner, align: 'center' });
  y += 52;
  if (info && input.title !== info.name) {
    doc
      .font('cjk')
      .fontSize(13)
      .fillColor('black')
      .text(input.title, left, y, { width: inner, align: 'center' });
    y += 24;
  }
  doc
    .font('cjk')
    .fontSize(11)
    .fillColor('black')
    .text(`编号：${str(document.number)}`, left, y, { width: inner, align: 'center' });
  y += 20;
  doc
    .fontSize(8)
    .fillColor('#444')
    .text(`证照标识：${str(c.identifier)}`, left, y, { width: inner, align: 'center' });
  y += 26;

  const mark = input.revoked ? '已撤销 — 证照无效' : input.simulated ? '模拟审批 — 仅供参考' : null;
  if (mark) {
    // Upright as well as in the watermark: rotated text does not extract in reading order.
    doc
      .font('cjk-bold')
      .fontSize(11)
      .fillColor('#cc0000')
      .text(`【${mark}】`, left, y - 8, { width: inner, align: 'center' });
    y += 14;
  }
  const statement =
    input.type === 'completion_filing'
      ? '经审查，该工程竣工验收备案文件齐全，准予备案。'
      : '经审查，本项目符合有关规定，特发此证。';
  doc.font('cjk').fontSize(12).fillColor('black').text(statement, left, y, { width: inner });
  y += 30;

  const rows: Array<[string, string]> = [
    ['持证单位', str(holder.name)],
    ['统一社会信用代码', str(holder.code)],
    ...detailRows(details, input.type),
    ['文件名称', str(document.title)],
    ['发证机关', str(issuer.name)],
    ['发证日期', input.issuedOn],
    ['有效期至', validityText(input.validUntil)],
  ];
  const labelWidth = 120;
  for (const [label, value] of rows) {
    doc.font('cjk').fontSize(12);
    const h = Math.max(22, doc.heightOfString(value || ' ', { width: inner - labelWidth - 12 }) + 8);
    doc.lineWidth(0.5).rect(left, y, inner, h).stroke('#999');
    doc.fillColor('#333').text(label, left + 8, y + 4, { width: labelWidth - 8 });
    doc.fillColor('black').text(value, left + labelWidth, y + 4, { width: inner - labelWidth - 12 });
    y += h;
  }

  const footY = height - 210;
  doc.image(qr, left, footY, { width: 110 });
  doc
    .font('cjk')
    .fontSize(9)
    .fillColor('#333')
    .text('扫码核验证照真伪', left, footY + 114, { width: 110, align: 'center' });
  const sigX = left + 130;
  doc
    .fontSize(9)
    .fillColor('black')
    .text(`发证机关：${str(issuer.name)}`, sigX, footY, { width: inner - 130 });
  doc.text(`发证日期：${input.issuedOn}`, sigX, footY + 16, { width: inner - 130 });
  // The URL stays on one line (a wrapped URL cannot be typed or copied back): shrink it to fit instead.
  const urlLine = `核验地址：${input.verifyUrl}`;
  let urlSize = 9;
  while (urlSize > 5 && doc.fontSize(urlSize).widthOfString(urlLine) > inner - 130) urlSize -= 0.5;
  doc.fontSize(urlSize).text(urlLine, sigX, footY + 32, { width: inner - 130, lineBreak: false });
  doc
    .fontSize(7)
    .fillColor('#555')
    .text(
      `电子签名 SM2 (GB/T 32918, SM3, userId 1234567812345678)  密钥 ${input.signerKeyId}`,
      sigX,
      footY + 56,
      {
        width: inner - 130,
      },
    );
  doc
    .font('Courier')
    .fontSize(5.5)
    .text(input.signature, sigX, footY + 70, { width: inner - 130 });

  // The issuer's 电子印章 over its name and the date, as on the paper licence.
  if (str(issuer.name) !== '') drawSeal(doc, left + inner - 70, footY + 16, str(issuer.name), '审批专用章');

  if (mark) {
    doc.save();
    doc.rotate(-35, { origin: [width / 2, height / 2] });
    doc.font('cjk-bold').fontSize(54).fillColor('#cc0000').fillOpacity(0.18);
    doc.text(mark, 0, height / 2 - 30, { width, align: 'center', lineBreak: false });
    doc.restore();
  }
  doc.end();
  return done;
}
