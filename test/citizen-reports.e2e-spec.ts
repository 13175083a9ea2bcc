import { FixedClock } from '../src/common/clock';
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
    t.request('POST', `/api/v1/public/mpps/${mppId}/reports`, { ip, body: { altcha: await solvedAltcha(t), ...body } });

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
    const first = await t.request('POST', `/api/v1/public/mpps/${kupang.id}/reports`, { ip: '10.0.0.2', body });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: true });
    const reused = await t.request('POST', `/api/v1/public/mpps/${kupang.id}/reports`, { ip: '10.0.0.2', body });
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
      expect((await t.request('POST', `/api/v1/public/mpps/${kupang.id}/reports`, { ip: '10.0.0.3', body })).status).toBe(400);
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
});
