import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../test/db';
import { createTestSystem, DEFAULT_NOW, type Session, type TestSystem } from '../../../test/app';
import { runUnattachedFileSweep } from './material.jobs';

const MAX_BYTES = 4096;

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
  Buffer.from([0x90, 0x77, 0x53, 0xde]),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('IEND'),
  Buffer.from([0xae, 0x42, 0x60, 0x82]),
]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]);
const MZ = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

type Part =
  { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

function multipart(parts: Part[]) {
  const boundary = `----zz${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      );
      chunks.push(p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const kind of databaseKinds()) {
  describe(`materials [${kind}]`, () => {
    let system: Awaited<ReturnType<typeof createTestSystem>>;
    let dataDir: string;
    let applicant: Session;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-materials-'));
      system = await createTestSystem(kind, { dataDir, uploadMaxBytes: MAX_BYTES });
      applicant = await system.login('applicant');
    });
    afterAll(async () => {
      await system?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const tmpResidue = () => {
      const tmp = path.join(dataDir, 'files', 'tmp');
      return fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
    };

    async function upload(s: TestSystem, session: Session | null, parts: Part[]) {
      const { payload, contentType } = multipart(parts);
      return s.app.inject({
        method: 'POST',
        url: '/api/materials',
        headers: { ...(session?.headers ?? {}), 'content-type': contentType },
        payload,
      });
    }

    it('accepts a PDF, reports its sha256, stores the bytes under their hash and audits it', async () => {
      const res = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: '申请表.pdf', content: PDF },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        sha256: sha256(PDF),
        sizeBytes: PDF.length,
        mediaType: 'application/pdf',
        originalName: '申请表.pdf',
        materialCode: 'M_APPLICATION',
      });
      const stored = path.join(dataDir, 'files', body.sha256.slice(0, 2), body.sha256);
      expect(fs.readFileSync(stored).equals(PDF)).toBe(true);
      const events = await system.database.db
        .selectFrom('auditEvent')
        .select(['action', 'objectId'])
        .where('action', '=', 'material.uploaded')
        .where('objectId', '=', body.id)
        .execute();
      expect(events).toHaveLength(1);
      expect(tmpResidue()).toEqual([]);
    });

    it('stores the same bytes once, even when the file comes before the text field', async () => {
      const res = await upload(system, applicant, [
        { name: 'file', filename: 'copy.pdf', content: PDF },
        { name: 'materialCode', value: 'M_SITE_PLAN' },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().sha256).toBe(sha256(PDF));
      expect(res.json().materialCode).toBe('M_SITE_PLAN');
      const dir = path.join(dataDir, 'files', sha256(PDF).slice(0, 2));
      expect(fs.readdirSync(dir)).toEqual([sha256(PDF)]);
    });

    it.each([
      ['an ELF executable', 'tool.pdf', ELF, /ELF/],
      ['an MZ executable', 'setup.pdf', MZ, /MZ/],
      ['a PNG named .pdf', 'plan.pdf', PNG, /\.pdf/],
      ['a shell script', 'run.pdf', Buffer.from('#!/bin/sh\necho hi\n'), /脚本/],
      ['HTML', 'page.pdf', Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'), /HTML/],
    ])('refuses %s with 415 and leaves nothing behind', async (_what, filename, content, reason) => {
      const res = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename, content },
      ]);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringMatching(reason),
      });
      expect(tmpResidue()).toEqual([]);
      expect(fs.existsSync(path.join(dataDir, 'files', sha256(content).slice(0, 2), sha256(content)))).toBe(
        false,
      );
    });

    it('accepts a PNG named .png', async () => {
      const res = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_PHOTO' },
        { name: 'file', filename: 'site.png', content: PNG },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().mediaType).toBe('image/png');
    });

    it('refuses an oversize file with 413 and removes the temporary file', async () => {
      const big = Buffer.concat([PDF, Buffer.alloc(MAX_BYTES * 2, 0x20)]);
      const res = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: 'big.pdf', content: big },
      ]);
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(tmpResidue()).toEqual([]);
    });

    it('refuses an empty file (400), a missing material code (400) and a bad one', async () => {
      const empty = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: 'empty.pdf', content: Buffer.alloc(0) },
      ]);
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body.file' });
      const missing = await upload(system, applicant, [{ name: 'file', filename: 'a.pdf', content: PDF }]);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.field).toBe('body.materialCode');
      const bad = await upload(system, applicant, [
        { name: 'materialCode', value: '材料' },
        { name: 'file', filename: 'a.pdf', content: PDF },
      ]);
      expect(bad.statusCode).toBe(400);
      expect(tmpResidue()).toEqual([]);
    });

    it('needs a login and an uploading role; agent names the enterprise', async () => {
      const anonymous = await upload(system, null, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: 'a.pdf', content: PDF },
      ]);
      expect(anonymous.statusCode).toBe(401);
      const supervisor = await system.login('supervisor');
      const refused = await upload(system, supervisor, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: 'a.pdf', content: PDF },
      ]);
      expect(refused.statusCode).toBe(403);
      const agent = await system.login('agent');
      const noEnterprise = await upload(system, agent, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: 'a.pdf', content: PDF },
      ]);
      expect(noEnterprise.statusCode).toBe(400);
      expect(noEnterprise.json().error.field).toBe('body.enterpriseId');
      const enterprise = await system.database.db
        .selectFrom('enterprise')
        .select('id')
        .orderBy('creditCode')
        .executeTakeFirstOrThrow();
      const onBehalf = await upload(system, agent, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'enterpriseId', value: enterprise.id },
        { name: 'file', filename: 'a.pdf', content: PDF },
      ]);
      expect(onBehalf.statusCode, onBehalf.body).toBe(201);
      expect(tmpResidue()).toEqual([]);
    });

    it('streams the file back to its owner and window, with RFC 5987 Content-Disposition; other enterprises get 403', async () => {
      const created = await upload(system, applicant, [
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename: '总平面图.pdf', content: PDF },
      ]);
      const id = created.json().id as string;
      const own = await system.app.inject({
        method: 'GET',
        url: `/api/materials/${id}`,
        headers: applicant.headers,
      });
      expect(own.statusCode).toBe(200);
      expect(own.headers['content-type']).toBe('application/pdf');
      expect(own.headers['content-disposition']).toBe(
        `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('总平面图.pdf')}`,
      );
      expect(own.rawPayload.equals(PDF)).toBe(true);
      const window = await system.login('window');
      expect(
        (await system.app.inject({ method: 'GET', url: `/api/materials/${id}`, headers: window.headers }))
          .statusCode,
      ).toBe(200);
      const other = await system.login('applicant2');
      const foreign = await system.app.inject({
        method: 'GET',
        url: `/api/materials/${id}`,
        headers: other.headers,
      });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json().error.code).toBe('FORBIDDEN_SCOPE');
      const reviewer = await system.login('zrzy.reviewer').catch(() => null);
      if (reviewer) {
        expect(
          (await system.app.inject({ method: 'GET', url: `/api/materials/${id}`, headers: reviewer.headers }))
            .statusCode,
        ).toBe(403);
      }
      const missing = await system.app.inject({
        method: 'GET',
        url: `/api/materials/${randomUUID()}`,
        headers: applicant.headers,
      });
      expect(missing.statusCode).toBe(404);
    });
  });
}

/** A PDF whose catalog opens a JavaScript action, written plainly or hidden in a compressed object stream. */
function activePdf(hidden: boolean): Buffer {
  const action = '<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>';
  if (!hidden) {
    return Buffer.from(
      `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n2 0 obj\n${action}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    );
  }
  // Object stream (PDF 1.5): the dictionaries live deflated inside; names spelt with #xx escapes.
  const inner = Buffer.from(
    '1 0 2 40 << /Type /Catalog /Open#41ction 2 0 R >> << /S /J#61vaScript /JS (x) >>',
  );
  const packed = zlib.deflateSync(inner);
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n3 0 obj\n<< /Type /ObjStm /N 2 /First 9 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
    ),
    packed,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  ]);
}

for (const kind of databaseKinds()) {
  describe(`materials: active PDFs, names, quota and the unattached sweep [${kind}]`, () => {
    const QUOTA = 3000;
    let system: Awaited<ReturnType<typeof createTestSystem>>;
    let dataDir: string;
    let applicant: Session;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-materials-q-'));
      system = await createTestSystem(kind, {
        dataDir,
        uploadMaxBytes: 1 << 20,
        storageQuotaBytes: QUOTA,
        unattachedFileDays: 7,
      });
      applicant = await system.login('applicant');
    });
    afterAll(async () => {
      await system?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const blobPath = (sha: string) => path.join(dataDir, 'files', sha.slice(0, 2), sha);
    const send = (session: Session, filename: string, content: Buffer) => {
      const { payload, contentType } = multipart([
        { name: 'materialCode', value: 'M_APPLICATION' },
        { name: 'file', filename, content },
      ]);
      return system.app.inject({
        method: 'POST',
        url: '/api/materials',
        headers: { ...session.headers, 'content-type': contentType },
        payload,
      });
    };
    /** A distinct small PDF of about `size` bytes. */
    const pdfOf = (size: number, tag: string) =>
      Buffer.concat([
        PDF,
        Buffer.from(`%${tag}`),
        Buffer.alloc(Math.max(0, size - PDF.length - tag.length - 1), 0x20),
      ]);

    it.each([
      ['plain', false],
      ['inside a compressed object stream, names escaped', true],
    ])('refuses a PDF with JavaScript actions (%s) with 415 naming them', async (_what, hidden) => {
      const content = activePdf(hidden);
      const res = await send(applicant, 'form.pdf', content);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.json().error.message).toMatch(/\/OpenAction/);
      expect(res.json().error.message).toMatch(/\/JavaScript/);
      expect(fs.existsSync(blobPath(sha256(content)))).toBe(false);
    });

    it('strips bidi controls from the stored file name', async () => {
      const res = await send(applicant, '合同\u202Efdp.exe\u2066.pdf', pdfOf(300, 'bidi'));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().originalName).toBe('合同fdp.exe.pdf');
    });

    it('removes files never attached after UNATTACHED_FILE_DAYS, keeping bytes another row still uses', async () => {
      const shared = pdfOf(500, 'shared');
      const lonely = pdfOf(500, 'lonely');
      const a = (await send(applicant, 'shared.pdf', shared)).json();
      const b = (await send(applicant, 'lonely.pdf', lonely)).json();
      expect([a.sha256, b.sha256]).toEqual([sha256(shared), sha256(lonely)]);
      // Six days later the other enterprise uploads the same bytes as `shared`.
      system.clock.set(new Date(DEFAULT_NOW.getTime() + 6 * 86_400_000));
      const other = await system.login('applicant2');
      const c = (await send(other, 'shared-too.pdf', shared)).json();
      expect(c.sha256).toBe(sha256(shared));
      // An orphan blob (an upload whose transaction failed after the move) with an old time.
      const orphan = pdfOf(400, 'orphan');
      fs.mkdirSync(path.dirname(blobPath(sha256(orphan))), { recursive: true });
      fs.writeFileSync(blobPath(sha256(orphan)), orphan);
      const old = new Date(DEFAULT_NOW.getTime() - 30 * 86_400_000);
      fs.utimesSync(blobPath(sha256(orphan)), old, old);

      system.clock.set(new Date(DEFAULT_NOW.getTime() + 6.5 * 86_400_000));
      const early = await runUnattachedFileSweep(system.ctx);
      expect(early.removedFiles).toBe(0);
      expect(fs.existsSync(blobPath(sha256(orphan)))).toBe(false); // older than the limit already
      expect(fs.existsSync(blobPath(a.sha256))).toBe(true);

      system.clock.set(new Date(DEFAULT_NOW.getTime() + 8 * 86_400_000));
      const swept = await runUnattachedFileSweep(system.ctx);
      expect(swept.removedFiles).toBeGreaterThanOrEqual(2);
      const left = new Set(
        (await system.db.selectFrom('materialFile').select('id').execute()).map((r) => r.id as string),
      );
      expect(left.has(a.id)).toBe(false);
      expect(left.has(b.id)).toBe(false);
      expect(left.has(c.id)).toBe(true); // only 2 days old
      expect(fs.existsSync(blobPath(b.sha256))).toBe(false);
      expect(fs.existsSync(blobPath(a.sha256))).toBe(true); // still used by c
      const audit = await system.db
        .selectFrom('auditEvent')
        .select('detail')
        .where('action', '=', 'material.unattached_removed')
        .execute();
      expect(audit.length).toBeGreaterThan(0);
      system.clock.set(DEFAULT_NOW);
    });
    it('keeps each enterprise under its quota (the same bytes count once), with the numbers in the answer', async () => {
      const used = async () => {
        const { enterpriseId } = await system.db
          .selectFrom('appUser')
          .select('enterpriseId')
          .where('username', '=', 'applicant')
          .executeTakeFirstOrThrow();
        const rows = await system.db
          .selectFrom('materialFile')
          .select(['sha256', 'sizeBytes'])
          .distinct()
          .where('enterpriseId', '=', enterpriseId)
          .execute();
        return rows.reduce((n, r) => n + Number(r.sizeBytes), 0);
      };
      applicant = await system.login('applicant'); // the clock moved back: a fresh session
      const first = pdfOf(1200, 'q1');
      expect((await send(applicant, 'a.pdf', first)).statusCode).toBe(201);
      // The same content again costs nothing.
      expect((await send(applicant, 'a-copy.pdf', first)).statusCode).toBe(201);
      const second = pdfOf(1200, 'q2');
      expect((await send(applicant, 'b.pdf', second)).statusCode).toBe(201);
      const before = await used();
      const third = pdfOf(1200, 'q3');
      const res = await send(applicant, 'c.pdf', third);
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error.code).toBe('QUOTA_EXCEEDED');
      expect(res.json().error.message).toContain(String(QUOTA));
      expect(res.json().error.message).toContain(String(before));
      expect(fs.existsSync(blobPath(sha256(third)))).toBe(false);
      // Another enterprise has its own quota.
      const other = await system.login('applicant2');
      expect((await send(other, 'c.pdf', third)).statusCode).toBe(201);
    });
  });
}
