/**
 * Administration (issue 15): users, departments of the city and its districts, enterprises that register
 * themselves and are confirmed by the window or an administrator — all through the API, all audited.
 */
import { beforeAll, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/modules/identity/identity.rules';
import { seedDemoDistricts } from '../../src/seed/demo-districts';
import { describeEachSystem, type Session, type TestSystem } from '../app';

const PASSWORD = 'Temp#2026abcd';

async function send(
  system: TestSystem,
  who: Session | null,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
) {
  const res = await system.app.inject({
    method,
    url,
    headers: who ? (method === 'GET' ? { cookie: who.cookie } : who.headers) : {},
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}

async function loginReply(system: TestSystem, username: string, password: string) {
  return send(system, null, 'POST', '/api/auth/login', { username, password });
}

async function audited(system: TestSystem, action: string, objectId: string) {
  const rows = await system.db
    .selectFrom('auditEvent')
    .select('action')
    .where('action', '=', action)
    .where('objectId', '=', objectId)
    .execute();
  return rows.length;
}

describeEachSystem('administration', (t) => {
  let admin: Session;

  beforeAll(async () => {
    await seedDemoDistricts(t.system.db, t.system.clock.now());
    admin = await t.system.login('admin');
  });

  it('creates district staff: the district comes from the department, the first login must change the password', async () => {
    const system = t.system;
    const created = await send(system, admin, 'POST', '/api/admin/users', {
      username: 'zm.new.reviewer',
      displayName: '中牟县 新初核',
      role: 'reviewer',
      departmentCode: 'zmzrzy',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      districtCode: '410122',
      departmentCode: 'zmzrzy',
      disabled: false,
    });
    expect(await audited(system, 'user.created', created.body.user.id)).toBe(1);
    const login = await loginReply(system, 'zm.new.reviewer', PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.restriction).toBe('password_change');

    const cases: [object, number, string][] = [
      [
        { username: 'zm.new.reviewer', displayName: 'x', role: 'window', password: PASSWORD },
        409,
        'body.username',
      ],
      [
        { username: 'nodept', displayName: 'x', role: 'reviewer', password: PASSWORD },
        400,
        'body.departmentCode',
      ],
      [
        {
          username: 'wrongdist',
          displayName: 'x',
          role: 'reviewer',
          departmentCode: 'zmzrzy',
          districtCode: '410105',
          password: PASSWORD,
        },
        422,
        'body.districtCode',
      ],
      [
        {
          username: 'citydist',
          displayName: 'x',
          role: 'senior',
          departmentCode: 'zrzy',
          districtCode: '410105',
          password: PASSWORD,
        },
        422,
        'body.districtCode',
      ],
      [{ username: 'weakpw', displayName: 'x', role: 'window', password: 'short' }, 422, 'body.password'],
      [
        {
          username: 'badzone',
          displayName: 'x',
          role: 'supervisor',
          districtCode: '110101',
          password: PASSWORD,
        },
        422,
        'body.districtCode',
      ],
    ];
    for (const [body, status, field] of cases) {
      const r = await send(system, admin, 'POST', '/api/admin/users', body);
      expect({ status: r.status, field: r.body.error?.field }).toEqual({ status, field });
    }
    const notAdmin = await send(system, await system.login('zmzrzy.head'), 'POST', '/api/admin/users', {});
    expect(notAdmin.status).toBe(403);
  });

  it('disables, enables, resets the password and requires the second factor', async () => {
    const system = t.system;
    const { body } = await send(system, admin, 'POST', '/api/admin/users', {
      username: 'js.window2',
      displayName: '金水区 窗口二',
      role: 'window',
      districtCode: '410105',
      password: PASSWORD,
    });
    const id = body.user.id as string;
    expect(body.user.districtCode).toBe('410105');

    const off = await send(system, admin, 'POST', `/api/admin/users/${id}/disabled`, {
      disabled: true,
      reason: '调岗',
    });
    expect(off.body.user.disabled).toBe(true);
    expect((await loginReply(system, 'js.window2', PASSWORD)).body.error.code).toBe('AUTH_ACCOUNT_DISABLED');
    const again = await send(system, admin, 'POST', `/api/admin/users/${id}/disabled`, {
      disabled: true,
      reason: '再停',
    });
    expect(again.status).toBe(409);
    await send(system, admin, 'POST', `/api/admin/users/${id}/disabled`, { disabled: false, reason: '回岗' });
    expect(await audited(system, 'user.disabled', id)).toBe(1);
    expect(await audited(system, 'user.enabled', id)).toBe(1);

    const reset = await send(system, admin, 'POST', `/api/admin/users/${id}/password`, {
      password: 'Reset#2026wxyz',
    });
    expect(reset.status).toBe(200);
    expect((await loginReply(system, 'js.window2', PASSWORD)).status).toBe(401);
    const afterReset = await loginReply(system, 'js.window2', 'Reset#2026wxyz');
    expect(afterReset.body.restriction).toBe('password_change');

    const mfa = await send(system, admin, 'PUT', `/api/admin/users/${id}`, {
      displayName: '金水区 窗口二',
      role: 'window',
      departmentCode: null,
      enterpriseId: null,
      districtCode: '410105',
      mfaRequired: true,
    });
    expect(mfa.body.user.mfaRequired).toBe(true);
    // An exempt demo account with a role not on the MFA list: the flag alone requires enrolment.
    const staff = (await send(system, admin, 'GET', '/api/admin/users?q=zmfgw.reviewer')).body.users[0];
    await send(system, admin, 'PUT', `/api/admin/users/${staff.id}`, {
      displayName: staff.displayName,
      role: 'reviewer',
      departmentCode: 'zmfgw',
      enterpriseId: null,
      districtCode: null,
      mfaRequired: true,
    });
    expect((await loginReply(system, 'zmfgw.reviewer', 'Demo#2026zz')).body.restriction).toBe(
      'totp_enrolment',
    );

    const self = (await send(system, admin, 'GET', '/api/admin/users?q=admin')).body.users.find(
      (u: { username: string }) => u.username === 'admin',
    );
    const selfOff = await send(system, admin, 'POST', `/api/admin/users/${self.id}/disabled`, {
      disabled: true,
      reason: 'x',
    });
    expect(selfOff.status).toBe(422);
  });

  it('a temporary password set by the administrator must be changed first, for an applicant too', async () => {
    const system = t.system;
    // applicant2: an enterprise user (not staff, so password expiry never applies to it).
    const user = (await send(system, admin, 'GET', '/api/admin/users?q=applicant2')).body.users[0];
    expect(user.passwordTemporary).toBe(false);
    const reset = await send(system, admin, 'POST', `/api/admin/users/${user.id}/password`, {
      password: 'Reset#2026appl',
    });
    expect(reset.body.user.passwordTemporary).toBe(true);
    const login = await system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'applicant2', password: 'Reset#2026appl' },
    });
    expect(login.json().restriction).toBe('password_change');
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
    // Nothing else before the change: the restricted session is no session for other routes.
    const projects = await system.app.inject({ method: 'GET', url: '/api/projects', headers: { cookie } });
    expect(projects.statusCode).toBe(401);
    const changed = await system.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: 'Reset#2026appl', newPassword: 'Mine#2026appl9' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().restriction).toBeNull();
    expect((await loginReply(system, 'applicant2', 'Mine#2026appl9')).body.restriction).toBeNull();
    const after = (await send(system, admin, 'GET', '/api/admin/users?q=applicant2')).body.users[0];
    expect(after.passwordTemporary).toBe(false);
  });

  it('adds a district department of a city line, once per district', async () => {
    const system = t.system;
    const created = await send(system, admin, 'POST', '/api/admin/departments', {
      code: 'zmslj',
      name: '中牟县水利局',
      districtCode: '410122',
      parentCode: 'slj',
    });
    expect(created.status).toBe(201);
    expect(created.body.department).toMatchObject({
      districtCode: '410122',
      parentCode: 'slj',
      active: true,
    });
    const twice = await send(system, admin, 'POST', '/api/admin/departments', {
      code: 'zmslj2',
      name: '中牟县水利局二',
      districtCode: '410122',
      parentCode: 'slj',
    });
    expect(twice.status).toBe(409);
    const underDistrict = await send(system, admin, 'POST', '/api/admin/departments', {
      code: 'zmx',
      name: '错误',
      districtCode: '410105',
      parentCode: 'zmslj',
    });
    expect(underDistrict.body.error.field).toBe('body.parentCode');
    const halfGiven = await send(system, admin, 'POST', '/api/admin/departments', {
      code: 'zmy',
      name: '错误',
      districtCode: '410105',
    });
    expect(halfGiven.status).toBe(400);
    const off = await send(system, admin, 'PUT', '/api/admin/departments/zmslj', {
      name: '中牟县水利局',
      leadsStages: [],
      active: false,
    });
    expect(off.body.department.active).toBe(false);
    const list = (await send(system, admin, 'GET', '/api/admin/departments')).body.departments as {
      code: string;
      users: number;
    }[];
    expect(list.find((d) => d.code === 'zmzrzy')!.users).toBeGreaterThanOrEqual(3);
  });

  it('an enterprise registers itself; the window confirms it, and only then its account logs in', async () => {
    const system = t.system;
    const first17 = '91410122MA9GM0001';
    const good = first17 + creditCodeCheckChar(first17);
    const registration = {
      name: '中牟县示范实业有限公司',
      creditCode: good.toLowerCase(),
      legalPerson: '王强',
      contactPhone: '0371-62100000',
      username: 'zmshiye',
      displayName: '经办人 刘洋',
      password: 'Apply#2026x',
    };
    const wrongCheck = await send(system, null, 'POST', '/api/enterprise-registrations', {
      ...registration,
      creditCode: first17 + (good.endsWith('0') ? '1' : '0'),
    });
    expect(wrongCheck.body.error.field).toBe('body.creditCode');
    const ok = await send(system, null, 'POST', '/api/enterprise-registrations', registration);
    expect(ok.status).toBe(201);
    expect(ok.body.enterprise).toMatchObject({ status: 'pending', creditCode: good });
    const dup = await send(system, null, 'POST', '/api/enterprise-registrations', {
      ...registration,
      username: 'other1',
    });
    expect(dup.status).toBe(409);
    expect((await loginReply(system, 'zmshiye', 'Apply#2026x')).body.error.code).toBe(
      'AUTH_ACCOUNT_DISABLED',
    );

    const window = await system.login('window');
    const pending = (await send(system, window, 'GET', '/api/admin/enterprises?status=pending')).body
      .enterprises;
    expect(pending.map((e: { creditCode: string }) => e.creditCode)).toContain(good);
    const id = ok.body.enterprise.id as string;
    const rejectBare = await send(system, window, 'POST', `/api/admin/enterprises/${id}/review`, {
      decision: 'reject',
    });
    expect(rejectBare.body.error.field).toBe('body.note');
    const confirmed = await send(system, window, 'POST', `/api/admin/enterprises/${id}/review`, {
      decision: 'confirm',
    });
    expect(confirmed.body.enterprise.status).toBe('confirmed');
    expect((await loginReply(system, 'zmshiye', 'Apply#2026x')).status).toBe(200);
    expect(await audited(system, 'enterprise.registered', id)).toBe(1);
    expect(await audited(system, 'enterprise.confirmed', id)).toBe(1);

    // A false registration found later: rejected, its account can no longer log in.
    await send(system, admin, 'POST', `/api/admin/enterprises/${id}/review`, {
      decision: 'reject',
      note: '执照信息不符',
    });
    expect((await loginReply(system, 'zmshiye', 'Apply#2026x')).body.error.code).toBe(
      'AUTH_ACCOUNT_DISABLED',
    );
    const applicant = await system.login('applicant');
    expect((await send(system, applicant, 'GET', '/api/admin/enterprises')).status).toBe(403);
  });
});
