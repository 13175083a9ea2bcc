import { PASSWORD, TestApp } from './support/app';
import { createMpp } from './support/factories';
import { startApp } from './support/outbox';
import { TestSmtpServer, waitUntil } from './support/smtp';
import type { UserView } from '../src/modules/users/users.dto';
import type { LoginResult } from '../src/modules/auth/auth.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';

/** Accounts without typed passwords: invitation and reset links by email, through the outbox and a real SMTP server. */
describe('invitations and password links (e2e)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: string;
  let mppId: string;

  const mailTo = async (email: string, kind: 'Undangan' | 'Atur ulang', n = 1) => {
    const of = () => smtp.received.filter((m) => m.to.includes(email) && m.subject.includes(kind));
    await waitUntil(
      () => of().length >= n,
      20_000,
      () => `${n} "${kind}" email(s) to ${email}`,
    );
    return of()[n - 1];
  };
  const tokenOf = (text: string) => /\/password\/set\?token=([\w-]+)/.exec(text)![1];
  const reset = (token: string, password = PASSWORD) => t.as().post('/api/v1/auth/password/reset', { token, password });

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startApp({ SMTP_URL: smtp.url });
    admin = await t.adminToken();
    mppId = (await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' })).id;
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('invites a user created without a password; the link sets it once, and only the sha256 of the token is stored', async () => {
    const created = await t
      .as(admin)
      .post<UserView>('/api/v1/users', { email: 'pengelola.baru@mpp.test', name: 'Ibu Maria Lende', role: 'manager', mppIds: [mppId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'invited', mppIds: [mppId] });
    expect((await t.as().post<LoginResult>('/api/v1/auth/login', { email: 'pengelola.baru@mpp.test', password: PASSWORD })).status).toBe(
      401,
    );

    const mail = await mailTo('pengelola.baru@mpp.test', 'Undangan');
    expect(mail.text).toContain('Yth. Bapak/Ibu Ibu Maria Lende');
    const token = tokenOf(mail.text);
    const stored = await t.sql(`SELECT token_hash, purpose, expires_at - created_at AS valid FROM password_tokens`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ purpose: 'invitation', valid: { days: 7 } });
    expect(stored[0].token_hash).not.toContain(token);
    const everything = JSON.stringify(await t.sql(`SELECT * FROM notifications`)) + JSON.stringify(await t.sql(`SELECT * FROM audit_log`));
    expect(everything).not.toContain(token);

    const weak = await reset(token, 'pendek');
    expect(weak.status).toBe(400);
    expect((await reset(token)).status).toBe(204);
    expect((await reset(token, 'Kata-Sandi-Lain-2026')).error?.error).toBe('invalid_token');
    const signedIn = await t.login('pengelola.baru@mpp.test');
    expect(signedIn).toBeTruthy();
    expect((await t.as(admin).get<UserView>(`/api/v1/users/${created.body.id}`)).body.status).toBe('active');
  });

  it('answers forgot-password with 202 whoever asks; the reset link works an hour, once, and ends older sessions', async () => {
    const unknown = await t.as().post('/api/v1/auth/password/forgot', { email: 'tidak.ada@mpp.test' });
    expect(unknown.status).toBe(202);
    const session = await t.login('pengelola.baru@mpp.test');
    const known = await t.as().post('/api/v1/auth/password/forgot', { email: 'Pengelola.Baru@mpp.test' });
    expect(known.status).toBe(202);
    const mail = await mailTo('pengelola.baru@mpp.test', 'Atur ulang');
    const token = tokenOf(mail.text);
    expect(await t.sql(`SELECT expires_at - created_at AS valid FROM password_tokens WHERE purpose = 'reset'`)).toEqual([
      { valid: { hours: 1 } },
    ]);
    expect((await reset(token, 'Sandi-Baru-Pengelola-2026')).status).toBe(204);
    expect((await t.as(session).get<MppView[]>('/api/v1/mpps')).status).toBe(401);
    expect((await reset(token, 'Sandi-Lagi-Pengelola-2026')).status).toBe(400);
    expect(await t.login('pengelola.baru@mpp.test', 'Sandi-Baru-Pengelola-2026')).toBeTruthy();
    expect(smtp.received.filter((m) => m.to.includes('tidak.ada@mpp.test'))).toEqual([]);
  });

  it('lets an admin resend an invitation: the earlier link stops working', async () => {
    const created = await t
      .as(admin)
      .post<UserView>('/api/v1/users', { email: 'biro.ntt@mpp.test', name: 'Biro Organisasi NTT', role: 'bureau', provinceCode: '53' });
    const first = tokenOf((await mailTo('biro.ntt@mpp.test', 'Undangan')).text);
    expect((await t.as(admin).post(`/api/v1/users/${created.body.id}/invite`)).status).toBe(204);
    const second = tokenOf((await mailTo('biro.ntt@mpp.test', 'Undangan', 2)).text);
    expect(second).not.toBe(first);
    expect((await reset(first)).status).toBe(400);
    expect((await reset(second)).status).toBe(204);
    expect((await t.as(admin).post(`/api/v1/users/${created.body.id}/invite`)).error?.error).toBe('already_active');
  });

  it('sets the password on the page behind the link (CSRF-protected form); the login page offers "Lupa kata sandi"', async () => {
    expect((await t.as().get('/login')).text).toContain('href="/password/forgot"');
    const created = await t
      .as(admin)
      .post<UserView>('/api/v1/users', { email: 'kementerian@mpp.test', name: 'Deputi Pelayanan Publik', role: 'ministry' });
    expect(created.status).toBe(201);
    const token = tokenOf((await mailTo('kementerian@mpp.test', 'Undangan')).text);
    const form = await t.as().get(`/password/set?token=${token}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Buat kata sandi');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const cookie = ([] as string[])
      .concat(form.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const post = (fields: Record<string, string>) =>
      t.as().post('/password/set', new URLSearchParams({ _csrf: csrf, token, ...fields }).toString(), {
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await post({ password: PASSWORD, password2: 'Lain-Sekali-2026!' })).text).toContain('Kedua kata sandi tidak sama');
    const saved = await post({ password: PASSWORD, password2: PASSWORD });
    expect([saved.status, saved.text.includes('Kata sandi tersimpan')]).toEqual([200, true]);
    expect(await t.login('kementerian@mpp.test')).toBeTruthy();
    expect((await t.as().get(`/password/set?token=${token}`)).status).toBe(410);
  });
});
