import { describe, expect, it } from 'vitest';
import {
  classifyUpload,
  cleanFilename,
  pdfActiveNames,
  contentDisposition,
  extensionOf,
  zipFirstEntryName,
  type UploadFacts,
} from './material.rules';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

function zipHead(firstEntry: string): Uint8Array {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(Buffer.byteLength(firstEntry), 26);
  return new Uint8Array(Buffer.concat([header, Buffer.from(firstEntry)]));
}

const facts = (over: Partial<UploadFacts>): UploadFacts => ({
  sniffed: undefined,
  head: new Uint8Array(),
  filename: 'x',
  ...over,
});

describe('classifyUpload', () => {
  it('accepts a PDF named .pdf', () => {
    expect(
      classifyUpload(facts({ sniffed: { ext: 'pdf' }, head: bytes('%PDF-1.7'), filename: '申请表.pdf' })),
    ).toEqual({
      ok: true,
      kind: 'pdf',
      mediaType: 'application/pdf',
    });
  });
  it('accepts an image with either JPEG extension and a file without extension', () => {
    expect(classifyUpload(facts({ sniffed: { ext: 'jpg' }, filename: 'scan.jpeg' }))).toMatchObject({
      ok: true,
      kind: 'jpg',
    });
    expect(classifyUpload(facts({ sniffed: { ext: 'png' }, filename: 'scan' }))).toMatchObject({
      ok: true,
      kind: 'png',
    });
  });
  it('recognises OFD by its first zip entry OFD.xml', () => {
    expect(
      classifyUpload(facts({ sniffed: { ext: 'zip' }, head: zipHead('OFD.xml'), filename: '批复.ofd' })),
    ).toMatchObject({
      ok: true,
      mediaType: 'application/ofd',
    });
    expect(
      classifyUpload(facts({ sniffed: { ext: 'zip' }, head: zipHead('readme.txt'), filename: 'a.zip' })),
    ).toMatchObject({ ok: false });
  });
  it('tells a legacy .doc from a .xls by the name once the content is a compound file', () => {
    expect(classifyUpload(facts({ sniffed: { ext: 'cfb' }, filename: 'a.xls' }))).toMatchObject({
      ok: true,
      kind: 'xls',
    });
    expect(classifyUpload(facts({ sniffed: { ext: 'cfb' }, filename: 'a.doc' }))).toMatchObject({
      ok: true,
      kind: 'doc',
    });
    expect(classifyUpload(facts({ sniffed: { ext: 'cfb' }, filename: 'a.pdf' }))).toMatchObject({
      ok: false,
    });
  });
  it('refuses executables and scripts whatever their name', () => {
    expect(
      classifyUpload(facts({ sniffed: { ext: 'exe' }, head: bytes('MZ\x90\x00'), filename: 'a.pdf' })),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/PE\/MZ/),
    });
    expect(classifyUpload(facts({ head: bytes('\x7fELF\x02\x01'), filename: 'a.pdf' }))).toMatchObject({
      reason: expect.stringMatching(/ELF/),
    });
    expect(classifyUpload(facts({ head: bytes('\xcf\xfa\xed\xfe'), filename: 'a' }))).toMatchObject({
      reason: expect.stringMatching(/Mach-O/),
    });
    expect(classifyUpload(facts({ head: bytes('#!/bin/sh\nrm -rf /'), filename: 'a.pdf' }))).toMatchObject({
      reason: expect.stringMatching(/脚本/),
    });
  });
  it('refuses HTML and SVG', () => {
    expect(
      classifyUpload(
        facts({
          head: new Uint8Array(Buffer.from('\uFEFF  <!DOCTYPE html><html>', 'utf8')),
          filename: 'a.pdf',
        }),
      ),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/HTML/) });
    expect(
      classifyUpload(facts({ head: bytes('<?xml version="1.0"?><svg xmlns=...'), filename: 'a.png' })),
    ).toMatchObject({ ok: false });
  });
  it('refuses a PNG named .pdf and unknown content', () => {
    expect(classifyUpload(facts({ sniffed: { ext: 'png' }, filename: 'plan.pdf' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/\.pdf.*PNG/),
    });
    expect(classifyUpload(facts({ head: bytes('hello'), filename: 'a.txt' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/无法识别/),
    });
  });
});

describe('file names', () => {
  it('finds extensions and cleans names', () => {
    expect(extensionOf('C:\\x\\Plan.PDF')).toBe('pdf');
    expect(extensionOf('.bashrc')).toBe('');
    expect(cleanFilename('../../etc/总平面图\u0000.pdf')).toBe('总平面图.pdf');
    // "invoice\u202Efdp.exe" displays as "invoiceexe.pdf": every bidi control goes.
    expect(cleanFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(
      cleanFilename('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C申请表.pdf'),
    ).toBe('申请表.pdf');
  });
  it('finds PDF action names, also spelt with #xx escapes, and not their look-alikes', () => {
    expect(pdfActiveNames('<< /OpenAction 3 0 R /S /JavaScript /JS (app.alert(1)) >>')).toEqual([
      'OpenAction',
      'JavaScript',
      'JS',
    ]);
    expect(pdfActiveNames('<</S/Launch/F(cmd.exe)>>')).toEqual(['Launch']);
    expect(pdfActiveNames('<< /S /J#61vaScript >>')).toEqual(['JavaScript']);
    expect(pdfActiveNames('<< /JSON 1 /Type /Catalog /Launcher 2 >> (JavaScript)')).toEqual([]);
  });
  it('builds an RFC 5987 Content-Disposition', () => {
    expect(contentDisposition('总平面图 (1).pdf')).toBe(
      `attachment; filename="____ (1).pdf"; filename*=UTF-8''%E6%80%BB%E5%B9%B3%E9%9D%A2%E5%9B%BE%20%281%29.pdf`,
    );
    expect(zipFirstEntryName(bytes('not a zip'))).toBeNull();
  });
});
