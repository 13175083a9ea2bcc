import { FixedClock } from '../src/common/clock';
import { ProofOfWork } from '../src/modules/citizen-reports/proof-of-work';
import { TestApp } from './support/app';
import { solvedAltcha } from './support/altcha';
import { createMpp } from './support/factories';

/** Citizens report a closed MPP without an account or a third party (DOMAIN.md, ground truth). */
describe('citizen reports (e2e)', () => {
  const clock = new FixedClock(new Date('2026-12-01T03:00:00Z')); // Tuesday 11:00 WITA, 2026-W49
  let t: TestApp;
  let kupang: { id: string };
  let lebak: { id: string };
  const stored = async (mppId: string) =>
    (await t.sql(`SELECT count(*)::int AS n FROM citizen_reports WHERE mpp_id = $1`, [mppId]))[0].n as number;
  const report = async (mppId: string, body: Record<string, unknown>, ip = '10.0.0.1') =>
    t.as().post(`/api/v1/public/mpps/${mppId}/reports`, { altcha: await solvedAltcha(t), ...body }, { ip });

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    const admin = await t.adminToken();
    kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' });
  });
  afterAll(() => t.close());

  it('takes a report with a solved challenge (202), each solution once, the same visit once', async () => {
    const altcha = await solvedAltcha(t);
    const body = { kind: 'closed', visitedOn: '2026-11-30', note: '<b>Pintu</b> terkunci', altcha };
    const first = await t.as().post(`/api/v1/public/mpps/${kupang.id}/reports`, body, { ip: '10.0.0.2' });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: true });
    const reused = await t.as().post(`/api/v1/public/mpps/${kupang.id}/reports`, body, { ip: '10.0.0.2' });
    expect(reused.status).toBe(400);
    expect((await report(kupang.id, { kind: 'closed', visitedOn: '2026-11-30' }, '10.0.0.2')).status).toBe(202);
    expect(await stored(kupang.id)).toBe(1);
    expect(await t.sql(`SELECT kind, week, note FROM citizen_reports WHERE mpp_id = $1`, [kupang.id])).toEqual([
      { kind: 'closed', week: '2026-W49', note: '<b>Pintu</b> terkunci' },
    ]);
    // The address is kept only as a keyed hash.
    expect(JSON.stringify(await t.sql(`SELECT encode(client_hash, 'escape') AS h FROM citizen_reports`))).not.toContain('10.0.0.2');
  });

  it('refuses a missing or forged challenge, an old visit and an unknown MPP, storing nothing', async () => {
    const before = await stored(kupang.id);
    const forged = Buffer.from(JSON.stringify({ algorithm: 'SHA-256', challenge: 'a', number: 1, salt: 'b', signature: 'c' })).toString(
      'base64',
    );
    for (const body of [
      { kind: 'closed', visitedOn: '2026-12-01' },
      { kind: 'closed', visitedOn: '2026-12-01', altcha: forged },
    ]) {
      expect((await t.as().post(`/api/v1/public/mpps/${kupang.id}/reports`, body, { ip: '10.0.0.3' })).status).toBe(400);
    }
    expect((await report(kupang.id, { kind: 'closed', visitedOn: '2026-11-22' }, '10.0.0.3')).status).toBe(400);
    expect((await report(kupang.id, { kind: 'closed', visitedOn: '2026-12-02' }, '10.0.0.3')).status).toBe(400);
    expect((await report(kupang.id, { kind: 'nope', visitedOn: '2026-12-01' }, '10.0.0.3')).status).toBe(400);
    expect((await report('00000000-0000-4000-8000-000000000000', { kind: 'closed', visitedOn: '2026-12-01' }, '10.0.0.3')).status).toBe(
      404,
    );
    expect(await stored(kupang.id)).toBe(before);
  });

  it('answers 429 past the per-client limit and stores nothing more', async () => {
    const ip = '10.0.0.9';
    const statuses: number[] = [];
    const kinds = ['closed', 'service_unavailable', 'other'];
    for (let i = 0; i < 7; i++) {
      const day = `2026-11-${String(24 + (i % 3)).padStart(2, '0')}`;
      statuses.push((await report(lebak.id, { kind: kinds[i % 3], visitedOn: i < 3 ? day : `2026-12-01`, agency: 'Polres' }, ip)).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    // Five accepted, each a different day or kind: five rows; the refused two left nothing.
    expect(await stored(lebak.id)).toBe(5);
    const limited = await report(lebak.id, { kind: 'other', visitedOn: '2026-11-30' }, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(await stored(lebak.id)).toBe(5);
  });

  it('answers 429 in the error shape past the per-MPP limit (60 an hour) from many clients, and stores nothing more', async () => {
    const admin = await t.adminToken();
    const crowded = await createMpp(t, admin, { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    // Sixty clients, one report each: no client comes near its own limit of five.
    for (let i = 1; i <= 60; i++) {
      const res = await report(crowded.id, { kind: 'closed', visitedOn: '2026-12-01' }, `10.60.0.${i}`);
      expect({ i, status: res.status }).toEqual({ i, status: 202 });
    }
    expect(await stored(crowded.id)).toBe(60);
    const refused = await report(crowded.id, { kind: 'closed', visitedOn: '2026-12-01' }, '10.60.1.1');
    expect(refused.status).toBe(429);
    expect(refused.error).toEqual({ statusCode: 429, error: 'rate_limited', message: 'Too many attempts; try again in 60 s', details: [] });
    // The bucket refills one report a minute (60 an hour), whatever the wall clock says.
    expect(refused.headers['retry-after']).toBe('60');
    expect((await report(crowded.id, { kind: 'other', visitedOn: '2026-11-30' }, '10.60.1.2')).status).toBe(429);
    expect(await stored(crowded.id)).toBe(60);
    // Another MPP is not held back by this one's crowd.
    expect((await report(kupang.id, { kind: 'other', visitedOn: '2026-12-01' }, '10.60.1.3')).status).toBe(202);
    clock.set(new Date(clock.now().getTime() + 60_000));
    expect((await report(crowded.id, { kind: 'closed', visitedOn: '2026-12-01' }, '10.60.1.4')).status).toBe(202);
    expect((await report(crowded.id, { kind: 'closed', visitedOn: '2026-12-01' }, '10.60.1.5')).status).toBe(429);
    expect(await stored(crowded.id)).toBe(61);
  }, 180_000);

  it('prunes spent challenges once expired, keeping fresh ones (hourly, where the scheduler runs)', async () => {
    const now = clock.now().getTime();
    await t.sql(`DELETE FROM spent_challenges`);
    await t.sql(`INSERT INTO spent_challenges (signature, expires_at) VALUES ('old-1', $1), ('old-2', $2), ('fresh', $3)`, [
      new Date(now - 3600_000),
      new Date(now - 1000),
      new Date(now + 60_000),
    ]);
    expect(await t.app.get(ProofOfWork).prune()).toBe(2);
    expect(await t.sql(`SELECT signature FROM spent_challenges`)).toEqual([{ signature: 'fresh' }]);
    // Running it again (another replica, the next hour) finds nothing more to do.
    expect(await t.app.get(ProofOfWork).prune()).toBe(0);
  });
});
