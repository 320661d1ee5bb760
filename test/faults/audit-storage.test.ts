/**
 * F-08: when the audit log or the file store cannot be written, the business action fails closed: the
 * answer is a generic error, nothing of the action is committed, and no partial file stays behind.
 * The audit failure is a trigger raising on audit_event (the tests run as the owner, who may add one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import type { App } from '../../src/http/context';
import { createTestSystem, type Session } from '../app';
import { databaseKinds } from '../db';
import { clearSite, CLEAR_SITE_DISTRICT, defaultAttributes, multipart, plannedDates } from '../factories';

const pdf = (tag: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%${tag}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const kind of databaseKinds()) {
  describe(`F-08 audit and storage failures [${kind}]`, () => {
    let system: Awaited<ReturnType<typeof createTestSystem>>;
    let dataDir: string;
    let applicant: Session;
    let templateCode: string;
    /** The same system behind a second app whose log lines are kept (JSON, as pino writes them). */
    let logged: App;
    const raw: string[] = [];
    const logLines = () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; [k: string]: unknown });

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zz-f08-'));
      system = await createTestSystem(kind, { dataDir });
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          raw.push(chunk.toString('utf8'));
          done();
        },
      });
      logged = await buildApp(system.ctx, { logger: { level: 'info', stream } });
      applicant = await system.login('applicant');
      templateCode = (await system.app.inject({ method: 'GET', url: '/api/process-templates' })).json()
        .templates[1].code;
    });
    afterAll(async () => {
      await logged?.close();
      await system?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const blob = (sha: string) => path.join(dataDir, 'files', sha.slice(0, 2), sha);
    const tmpResidue = () => {
      const tmp = path.join(dataDir, 'files', 'tmp');
      return fs.existsSync(tmp) && fs.statSync(tmp).isDirectory() ? fs.readdirSync(tmp) : [];
    };
    const upload = (name: string, content: Buffer, app: App = system.app) => {
      const body = multipart(
        { materialCode: 'M_APPLICATION' },
        { name, type: 'application/pdf', data: content },
      );
      return app.inject({
        method: 'POST',
        url: '/api/materials',
        headers: { ...applicant.headers, ...body.headers },
        payload: body.payload,
      });
    };
    const register = (name: string) =>
      system.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: applicant.headers,
        payload: {
          name,
          templateCode,
          totalInvestment: 8000,
          districtCode: CLEAR_SITE_DISTRICT,
          site: clearSite(7),
          ...plannedDates(system.clock.now()),
          attributes: defaultAttributes,
        },
      });
    const count = async (table: 'materialFile' | 'project' | 'auditEvent') =>
      Number(
        (
          await system.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const expectGenericFailure = (res: { statusCode: number; body: string }) => {
      expect(res.statusCode, res.body).toBe(500);
      const body = JSON.parse(res.body);
      expect(body.error.code).toBe('INTERNAL');
      // Generic: neither the SQL, the trigger's text nor a path leaks.
      expect(res.body).not.toMatch(/audit store|trigger|plpgsql|\/tmp|ENOTDIR|EEXIST|at .*\.ts:\d+/i);
    };

    it('an audit write that fails rolls the upload and the registration back, leaving no file', async () => {
      await system.database.exec(`
        CREATE FUNCTION zz_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
        CREATE TRIGGER zz_fail_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION zz_fail_audit();
      `);
      const before = {
        files: await count('materialFile'),
        projects: await count('project'),
        audit: await count('auditEvent'),
      };
      try {
        const content = pdf('audit-down');
        expectGenericFailure(await upload('审计失败-身份证110101199003071234.pdf', content, logged));
        // The failure is logged for operators at error level: SQLSTATE and route, not the user's data.
        const errors = logLines().filter((l) => l.level >= 50);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ route: '/api/materials', error: { sqlState: 'P0001' } });
        expect(JSON.stringify(errors)).not.toMatch(/110101199003071234|审计失败|audit store unavailable/);
        expect(fs.existsSync(blob(sha256(content)))).toBe(false);
        expect(tmpResidue()).toEqual([]);
        expectGenericFailure(await register('审计失败的项目'));
        expect({
          files: await count('materialFile'),
          projects: await count('project'),
          audit: await count('auditEvent'),
        }).toEqual(before);
      } finally {
        await system.database.exec(
          'DROP TRIGGER zz_fail_audit ON audit_event; DROP FUNCTION zz_fail_audit();',
        );
      }
      // Healed: the same actions go through.
      const healedUpload = await upload('审计恢复.pdf', pdf('audit-back'));
      expect(healedUpload.statusCode, healedUpload.body).toBe(201);
      const healedProject = await register('审计恢复的项目');
      expect(healedProject.statusCode, healedProject.body).toBe(201);
    });

    it('a file store that cannot stage or place the bytes refuses the upload and writes no row', async () => {
      const before = await count('materialFile');
      const root = path.join(dataDir, 'files');
      fs.mkdirSync(root, { recursive: true });
      // Staging fails: the temporary directory cannot be made (a file stands in its place).
      fs.rmSync(path.join(root, 'tmp'), { recursive: true, force: true });
      fs.writeFileSync(path.join(root, 'tmp'), 'not a directory');
      try {
        expectGenericFailure(await upload('暂存失败.pdf', pdf('stage-fails')));
      } finally {
        fs.rmSync(path.join(root, 'tmp'), { force: true });
      }
      // Placing fails inside the transaction: the row goes with it and the staged copy is removed.
      const content = pdf('place-fails');
      const sha = sha256(content);
      const prefix = path.join(root, sha.slice(0, 2));
      fs.rmSync(prefix, { recursive: true, force: true });
      fs.writeFileSync(prefix, 'not a directory');
      try {
        expectGenericFailure(await upload('存放失败.pdf', content));
        expect(tmpResidue()).toEqual([]);
      } finally {
        fs.rmSync(prefix, { force: true });
      }
      expect(await count('materialFile')).toBe(before);
      expect(fs.existsSync(blob(sha))).toBe(false);
      // Healed.
      expect((await upload('存放恢复.pdf', content)).statusCode).toBe(201);
      expect(fs.existsSync(blob(sha))).toBe(true);
    });
  });
}
