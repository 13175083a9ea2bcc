import { FixedClock } from '../src/common/clock';
import { ADMIN, PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { UserView } from '../src/modules/users/users.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { LoginResult } from '../src/modules/auth/auth.dto';
import type { EvaluationSettings } from '../src/modules/cycles/evaluation.rules';
import type { AuditRecord } from '../src/modules/audit/audit.dto';
import type { ChainReport, Holiday } from './support/answers';

const ROOT = join(__dirname, '..');

/** Every write leaves who, role, what, when and before → after in an append-only trail. */
describe('audit log (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z')); // Friday of W48
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let mpp: MppView;
  let manager: { id: string; email: string; token: string };

  const audit = async (query = '', token = admin) => t.as(token).get<AuditRecord[]>(`/api/v1/audit${query}`);
  const verify = () => t.as(admin).get<ChainReport>('/api/v1/audit/verify');

  beforeAll(async () => {
    // Behind a proxy on this machine (inject's peer is 127.0.0.1), whose X-Request-Id is kept.
    t = await TestApp.start({ clock, env: { TRUST_PROXY: '127.0.0.1' } });
    admin = await t.adminToken();
    adminId = (await t.sql(`SELECT id FROM users WHERE email = $1`, [ADMIN.email]))[0].id;
    mpp = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
  });
  afterAll(() => t.close());

  it('records user and MPP changes with the admin as actor, before and after, address and request id', async () => {
    const renamed = await t
      .as(admin)
      .patch<UserView>(
        `/api/v1/users/${manager.id}`,
        { name: 'Yohanes Ndun', password: 'Sandi-Baru-Panjang-2026' },
        { headers: { 'x-request-id': 'audit-test-1' } },
      );
    expect(renamed.status).toBe(200);
    expect((await t.as(admin).patch<MppView>(`/api/v1/mpps/${mpp.id}`, { address: 'Jl. El Tari No. 52' })).status).toBe(200);

    const res = await audit(`?entity=user&entityId=${manager.id}`);
    expect(res.status).toBe(200);
    const records = res.body;
    expect(records.map((r) => r.action)).toEqual(['user.update', 'auth.login', 'user.create']);
    expect(records[0]).toMatchObject({
      userId: adminId,
      userEmail: ADMIN.email,
      role: 'admin',
      entity: 'user',
      entityId: manager.id,
      requestId: 'audit-test-1',
      before: { name: expect.stringMatching(/^manager/), active: true },
      after: { name: 'Yohanes Ndun', active: true, passwordChanged: true, mppIds: [mpp.id] },
    });
    expect(records[0].ip).toBeTruthy();
    expect(Date.parse(records[0].at)).not.toBeNaN();
    const mppRecords = (await audit(`?entity=mpp&entityId=${mpp.id}`)).body;
    expect(mppRecords[0]).toMatchObject({
      action: 'mpp.update',
      before: { address: null },
      after: { address: 'Jl. El Tari No. 52', name: 'MPP Kota Kupang' },
    });
    expect(mppRecords[1]).toMatchObject({
      action: 'mpp.create',
      before: null,
      after: { regencyCode: '53.71', tenants: expect.any(Array) },
    });
    // No password or hash ever reaches the trail.
    const all = JSON.stringify(await t.sql(`SELECT * FROM audit_log`));
    expect(all).not.toContain('Sandi-Baru-Panjang-2026');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('$argon2');
  });

  it('records check-ins as their revisions (who, before → after), logins and failed logins, settings and holidays', async () => {
    const token = await t.login(manager.email, 'Sandi-Baru-Panjang-2026');
    expect((await t.as(token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody())).status).toBe(201);
    expect((await t.as(token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody({ visitors: 1500 }))).status).toBe(
      200,
    );
    expect((await t.as().post<LoginResult>('/api/v1/auth/login', { email: manager.email, password: 'salah-sandi-sekali' })).status).toBe(
      401,
    );
    expect((await t.as(admin).put<EvaluationSettings>('/api/v1/settings/evaluation', { correctionDays: 10 })).status).toBe(200);
    expect(
      (await t.as(admin).post<Holiday>('/api/v1/holidays', { date: '2027-06-15', kind: 'cuti_bersama', name: 'Cuti bersama Natal' }))
        .status,
    ).toBe(201);
    expect((await t.as(admin).delete('/api/v1/holidays/2027-06-15')).status).toBeLessThan(300);

    const checkIns = (await audit(`?entity=check_in&entityId=${mpp.id}/2026-W48`)).body;
    expect(checkIns).toHaveLength(2);
    expect(checkIns[0]).toMatchObject({
      action: 'check_in.submit',
      userId: manager.id,
      role: 'manager',
      entityId: `${mpp.id}/2026-W48`,
      before: { revision: 1, visitors: 1450 },
      after: { revision: 2, visitors: 1500, status: 'normal' },
    });
    expect(checkIns[1]).toMatchObject({ before: null, after: { revision: 1 } });

    expect((await audit(`?action=auth.login_failed`)).body[0]).toMatchObject({
      role: 'anonymous',
      userId: null,
      entityId: manager.id,
      after: { email: manager.email },
    });
    expect((await audit(`?action=auth.login&user=${manager.id}`)).body[0]).toMatchObject({ role: 'manager', userEmail: manager.email });
    expect((await audit(`?entity=settings`)).body[0]).toMatchObject({
      action: 'settings.evaluation.update',
      after: { correctionDays: 10 },
    });
    expect((await audit(`?entity=holiday`)).body.map((r) => r.action)).toEqual(['holiday.remove', 'holiday.add']);

    // One actor's whole trail, newest first, across both sources.
    const mine = (await audit(`?user=${manager.id}`)).body.map((r) => r.action);
    expect(mine).toEqual(expect.arrayContaining(['check_in.submit', 'auth.login']));
    expect((await audit('?limit=2')).body).toHaveLength(2);
  });

  it('is for admins only and refuses bad filters; the database refuses to rewrite history', async () => {
    // The manager's first token ended with its password change (above): sign in again.
    expect((await audit('', await t.login(manager.email, 'Sandi-Baru-Panjang-2026'))).status).toBe(403);
    expect((await audit('', '')).status).toBe(401);
    expect((await audit('?limit=5000')).status).toBe(400);
    expect((await audit('?user=not-a-uuid')).status).toBe(400);
    expect((await audit("?action=x';drop")).status).toBe(400);
    await expect(t.sql(`UPDATE audit_log SET role = 'admin'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM check_in_revisions`)).rejects.toThrow(/append-only/);
  });

  describe('hash chain', () => {
    const verifyCli = (databaseUrl: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'ts-hook.cjs'), join(ROOT, 'src', 'audit-verify.ts')], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'test',
            DATABASE_URL: databaseUrl,
            JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
          },
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });

    it('chains every record to the one before; the verify command and endpoint name the first rewritten record', async () => {
      const intact = await verify();
      expect(intact.status).toBe(200);
      expect(intact.body.firstBroken).toBeNull();
      expect(intact.body.records).toBeGreaterThan(3);
      const ok = await verifyCli(t.config.databaseUrl);
      expect(ok.output).toContain(`audit log intact: ${intact.body.records} records`);
      expect(ok.code).toBe(0);

      // Someone with the database owner's rights lifts the append-only trigger and rewrites record 3.
      await t.sql(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await t.sql(`UPDATE audit_log SET after = '{"name": "Orang Lain"}' WHERE seq = 3`);
      await t.sql(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      const broken = await verify();
      expect(broken.body.firstBroken).toMatchObject({ seq: 3, problem: 'record_changed' });
      const cli = await verifyCli(t.config.databaseUrl);
      expect(cli.output).toContain('audit log BROKEN at record seq=3');
      expect(cli.code).toBe(1);

      // Removing a record instead: the chain breaks where it was.
      await t.sql(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await t.sql(`UPDATE audit_log SET after = (SELECT after FROM audit_log WHERE seq = 2) WHERE seq = 3`);
      await t.sql(`UPDATE audit_log SET hash = sha256(coalesce(prev_hash, '\\x'::bytea) || audit_log_canonical(audit_log)) WHERE seq = 3`);
      await t.sql(`DELETE FROM audit_log WHERE seq = 2`);
      await t.sql(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      expect((await verify()).body.firstBroken).toMatchObject({ seq: 3, problem: 'record_missing' });
    }, 60_000);
  });
});
