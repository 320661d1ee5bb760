/**
 * Issue 9, the HTTP edge replayed as an attacker would: a forged X-Forwarded-Host must not reach a
 * signed PDF or a verification link; a forged X-Forwarded-For must not defeat the verification rate
 * limit (but a trusted proxy's is believed); the limit holds across processes (counted in the
 * database); a flood of lookups aggregates in the log and raises one anomaly per unknown id; framing
 * and CSP headers are on pages, API answers and the API docs.
 */
import { expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import { createTaskFixture, issueFor } from '../../src/modules/certificates/certificate.fixtures';
import { describeEachSystemWith, hasPdftotext, pdfText } from './system';

const NOW = new Date('2026-03-02T09:30:00+08:00');
const PUBLIC = 'https://zwfw.zhengzhou.example';
const FORGED = {
  host: 'zhengzhou-verify.example',
  'x-forwarded-host': 'zhengzhou-verify.example',
  'x-forwarded-proto': 'http',
};

describeEachSystemWith(
  'security: forwarded headers, no proxy trusted',
  { publicBaseUrl: PUBLIC, verifyRatePerMinute: 5 },
  (t) => {
    it('prints the configured address on the PDF and in the list, whatever Host and X-Forwarded-Host say', async () => {
      const { system } = t;
      const f = await createTaskFixture(system.db);
      const cert = await issueFor(system.db, f, NOW);
      const session = await system.login('applicant');
      const list = await system.app.inject({
        method: 'GET',
        url: `/api/projects/${f.projectId}/certificates`,
        headers: { ...FORGED, cookie: session.cookie },
      });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().certificates[0].verifyUrl).toBe(`${PUBLIC}/verify/${cert.id}`);
      expect(list.body).not.toContain(FORGED.host);

      const pdf = await system.app.inject({
        method: 'GET',
        url: `/api/certificates/${cert.id}/pdf`,
        headers: { ...FORGED, cookie: session.cookie },
      });
      expect(pdf.statusCode).toBe(200);
      if (hasPdftotext) {
        const flat = pdfText(pdf.rawPayload).replace(/\s+/g, '');
        expect(flat).toContain(`${PUBLIC}/verify/${cert.id}`.replace(/\s+/g, ''));
        expect(flat).not.toContain(FORGED.host);
      }
    });

    it('keys the verification limit on the socket address: a new X-Forwarded-For each time changes nothing', async () => {
      const { system } = t;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await system.app.inject({
          method: 'GET',
          url: '/api/certificates/ZZ-FORGED-FOR/verify',
          remoteAddress: '198.51.100.7',
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json().error.code).toBe('RATE_LIMITED');
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // The refused lookups logged nothing; the rows are the socket address's, not the forged ones.
      const rows = await system.db
        .selectFrom('certificateVerificationLog')
        .select(['clientAddress', 'attempts'])
        .where('certificateId', '=', 'ZZ-FORGED-FOR')
        .execute();
      expect(rows).toEqual([{ clientAddress: '198.51.100.7', attempts: 5 }]);
      // Another client is not affected.
      const other = await system.app.inject({
        method: 'GET',
        url: '/api/certificates/ZZ-FORGED-FOR/verify',
        remoteAddress: '198.51.100.8',
      });
      expect(other.statusCode).toBe(200);
    });

    it('counts in the database: a second process on the same database sees the same budget', async () => {
      const { system } = t;
      const second = await buildApp(system.ctx);
      try {
        const codes: number[] = [];
        for (let i = 0; i < 6; i++) {
          const app = i % 2 === 0 ? system.app : second;
          const res = await app.inject({
            method: 'GET',
            url: '/api/certificates/ZZ-TWO-PROCESSES/verify',
            remoteAddress: '198.51.100.20',
          });
          codes.push(res.statusCode);
        }
        expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
      } finally {
        await second.close();
      }
    });

    it('aggregates the verification log and raises one anomaly per unknown id', async () => {
      const { system } = t;
      for (const address of ['198.51.100.31', '198.51.100.32']) {
        for (let i = 0; i < 3; i++) {
          const res = await system.app.inject({
            method: 'GET',
            url: '/api/certificates/ZZ-UNKNOWN-FLOOD/verify',
            remoteAddress: address,
          });
          expect(res.json().valid).toBe(false);
        }
      }
      const rows = await system.db
        .selectFrom('certificateVerificationLog')
        .select(['clientAddress', 'attempts', 'day', 'found'])
        .where('certificateId', '=', 'ZZ-UNKNOWN-FLOOD')
        .orderBy('clientAddress')
        .execute();
      expect(rows).toEqual([
        { clientAddress: '198.51.100.31', attempts: 3, day: '2026-03-02', found: false },
        { clientAddress: '198.51.100.32', attempts: 3, day: '2026-03-02', found: false },
      ]);
      const supervisor = await system.login('supervisor');
      const scan = (
        await system.app.inject({
          method: 'POST',
          url: '/api/supervision/anomalies/scan',
          headers: supervisor.headers,
          payload: {},
        })
      ).json();
      expect(scan.created).toBeGreaterThan(0);
      const anomalies = await system.db
        .selectFrom('anomaly')
        .select(['objectId', 'detail'])
        .where('rule', '=', 'unknown_certificate_verification')
        .where('objectId', '=', 'ZZ-UNKNOWN-FLOOD')
        .execute();
      expect(anomalies).toHaveLength(1);
      expect(anomalies[0]!.detail).toMatchObject({ attempts: 6, addresses: 2 });
    });

    it('puts CSP and frame protection on API answers, pages and errors; no HSTS on http… here https', async () => {
      const { system } = t;
      for (const url of ['/api/health', '/api/no-such-route', '/projects/1', '/api/openapi.json']) {
        const res = await system.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBeLessThan(500);
        expect(res.headers['x-frame-options'], url).toBe('DENY');
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toContain("frame-ancestors 'none'");
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
        // PUBLIC is https: browsers are told to stay on https.
        expect(String(res.headers['strict-transport-security']), url).toContain('max-age=');
      }
    });

    it('keeps the API docs working under their own CSP, framed by nobody', async () => {
      const { system } = t;
      const page = await system.app.inject({ method: 'GET', url: '/api/docs' });
      expect(page.statusCode).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      // Swagger UI loads its initializer as a file: no inline script is allowed there either.
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(page.body).toContain('swagger-initializer.js');
      expect(page.headers['x-frame-options']).toBe('DENY');
    });

    it('marks the session cookie Secure when the public address is https', async () => {
      const { system } = t;
      const res = await system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'applicant', password: (await import('../../src/seed/demo')).DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
    });
  },
);

describeEachSystemWith(
  'security: forwarded headers from a trusted proxy',
  { trustProxy: ['10.0.0.1'], verifyRatePerMinute: 3 },
  (t) => {
    it('believes X-Forwarded-For from the trusted proxy only', async () => {
      const { system } = t;
      const via = (forwardedFor: string, remoteAddress = '10.0.0.1') =>
        system.app.inject({
          method: 'GET',
          url: '/api/certificates/ZZ-PROXIED/verify',
          remoteAddress,
          headers: { 'x-forwarded-for': forwardedFor },
        });
      // Three clients behind the proxy: each has its own budget.
      for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
        for (let i = 0; i < 3; i++) expect((await via(client)).statusCode).toBe(200);
      }
      expect((await via('192.0.2.1')).statusCode).toBe(429);
      // A client talking directly cannot pick its address: its header is ignored.
      const direct = [];
      for (let i = 0; i < 4; i++) direct.push((await via(`192.0.2.${50 + i}`, '198.51.100.99')).statusCode);
      expect(direct).toEqual([200, 200, 200, 429]);
      const addresses = (
        await system.db
          .selectFrom('certificateVerificationLog')
          .select('clientAddress')
          .where('certificateId', '=', 'ZZ-PROXIED')
          .orderBy('clientAddress')
          .execute()
      ).map((r) => r.clientAddress);
      expect(addresses).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '198.51.100.99']);
    });

    it('counts an IPv6 client by its /64: rotating addresses inside it gains nothing', async () => {
      const { system } = t;
      const codes: number[] = [];
      for (let i = 1; i <= 4; i++) {
        const res = await system.app.inject({
          method: 'GET',
          url: '/api/certificates/ZZ-IPV6/verify',
          remoteAddress: '10.0.0.1',
          headers: { 'x-forwarded-for': `2001:db8:1:1::${i}` },
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429]);
    });

    it('still prints links from configuration, not from a trusted X-Forwarded-Host; no HSTS on http', async () => {
      const { system } = t;
      const f = await createTaskFixture(system.db);
      const cert = await issueFor(system.db, f, NOW);
      const session = await system.login('applicant');
      const list = await system.app.inject({
        method: 'GET',
        url: `/api/projects/${f.projectId}/certificates`,
        remoteAddress: '10.0.0.1',
        headers: { ...FORGED, cookie: session.cookie },
      });
      expect(list.statusCode, list.body).toBe(200);
      const port = system.ctx.config.port;
      expect(list.json().certificates[0].verifyUrl).toBe(`http://localhost:${port}/verify/${cert.id}`);
      expect(list.headers['strict-transport-security']).toBeUndefined();
      const login = await system.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'agent', password: (await import('../../src/seed/demo')).DEMO_PASSWORD },
      });
      expect(String(login.headers['set-cookie'])).not.toMatch(/Secure/);
    });
  },
);
