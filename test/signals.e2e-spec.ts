import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { createMpp, createUser } from './support/factories';
import type { NewSignalSource } from './support/answers';
import type { SignalSourceView } from '../src/modules/signals/signals.dto';

/** Activity pings: a machine reports per MPP and day through a secret URL (DOMAIN.md, ground truth). */
describe('activity signals (e2e)', () => {
  const clock = new FixedClock(new Date('2026-12-01T03:00:00Z')); // Tuesday 11:00 WITA
  let t: TestApp;
  let admin: string;
  let kupang: { id: string };
  let manager: { id: string; token: string };
  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_URL: 'https://mpp.example.go.id' } });
    admin = await t.adminToken();
    kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id] });
  });
  afterAll(() => t.close());

  it('a manager creates a source; its URL records pings per local day, keeping the highest running totals', async () => {
    const created = await t
      .as(manager.token)
      .post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, { name: 'Mesin antrean lantai 1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mppId: kupang.id, name: 'Mesin antrean lantai 1', revokedAt: null });
    expect(created.body.pingUrl).toMatch(/^https:\/\/mpp\.example\.go\.id\/ping\/[\w-]{32}$/);
    const url = local(created.body.pingUrl);

    const bare = await t.as().get(url);
    expect(bare.status).toBe(202);
    expect(bare.body).toEqual({ mppId: kupang.id, date: '2026-12-01', pings: 1, tickets: null, transactions: null });
    expect((await t.as().post(`${url}?tickets=140&transactions=150`)).body).toMatchObject({
      pings: 2,
      tickets: 140,
      transactions: 150,
    });
    expect((await t.as().post(`${url}?tickets=90`)).body).toMatchObject({ pings: 3, tickets: 140, transactions: 150 });
    expect((await t.as().post(`${url}?date=2026-11-30&tickets=171`)).body).toEqual({
      mppId: kupang.id,
      date: '2026-11-30',
      pings: 1,
      tickets: 171,
      transactions: null,
    });
    expect(
      await t.sql(`SELECT to_char(date, 'YYYY-MM-DD') AS date, pings, tickets FROM signal_days WHERE mpp_id = $1 ORDER BY date`, [
        kupang.id,
      ]),
    ).toEqual([
      { date: '2026-11-30', pings: 1, tickets: 171 },
      { date: '2026-12-01', pings: 3, tickets: 140 },
    ]);
    // Monday and Tuesday active in that week's row, as the evaluation reads it (bit 0 Monday).
    expect(
      await t.sql(`SELECT to_char(week_start, 'YYYY-MM-DD') AS "weekStart", days FROM signal_weeks WHERE mpp_id = $1`, [kupang.id]),
    ).toEqual([{ weekStart: '2026-11-30', days: 0b11 }]);
    // A Sunday belongs to the week before (ISO weeks begin on Monday).
    expect((await t.as().get(`${url}?date=2026-11-29`)).status).toBe(202);
    expect(
      await t.sql(`SELECT to_char(week_start, 'YYYY-MM-DD') AS "weekStart", days FROM signal_weeks WHERE mpp_id = $1 ORDER BY 1`, [
        kupang.id,
      ]),
    ).toEqual([
      { weekStart: '2026-11-23', days: 0b1000000 },
      { weekStart: '2026-11-30', days: 0b11 },
    ]);
    // The list never shows the URL again.
    const listed = await t.as(manager.token).get<SignalSourceView[]>(`/api/v1/mpps/${kupang.id}/signal-sources`);
    expect(listed.body).toHaveLength(1);
    expect(listed.text).not.toContain(url.split('/').pop());
    expect(
      await t.sql(`SELECT count(*)::int AS n FROM signal_sources WHERE token_hash::text LIKE '%' || $1 || '%'`, [url.split('/').pop()]),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a future day, a day more than a week back and counts that are not whole numbers, storing nothing', async () => {
    const { pingUrl } = (await t.as(admin).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, { name: 'Kios' })).body;
    for (const query of ['date=2026-12-02', 'date=2026-11-23', 'tickets=-4', 'transactions=1.5', 'date=2026-02-30']) {
      const res = await t.as().post(`${local(pingUrl)}?${query}`);
      expect(res.status).toBe(400);
      expect(res.error).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    }
    expect(
      await t.sql(`SELECT count(*)::int AS n FROM signal_days d JOIN signal_sources s ON s.id = d.source_id WHERE s.name = 'Kios'`),
    ).toEqual([{ n: 0 }]);
  });

  it('a rotated URL and a revoked source answer 404', async () => {
    const first = (await t.as(manager.token).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, { name: 'MPP Digital' }))
      .body;
    const rotated = await t.as(manager.token).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources/${first.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.pingUrl).not.toBe(first.pingUrl);
    const old = await t.as().get(local(first.pingUrl));
    expect(old.status).toBe(404);
    expect(old.error).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect((await t.as().get(local(rotated.body.pingUrl))).status).toBe(202);

    expect((await t.as(manager.token).delete(`/api/v1/mpps/${kupang.id}/signal-sources/${first.id}`)).status).toBe(204);
    expect((await t.as().get(local(rotated.body.pingUrl))).status).toBe(404);
    const [source] = (await t.as(admin).get<SignalSourceView[]>(`/api/v1/mpps/${kupang.id}/signal-sources`)).body.filter(
      (s: { id: string }) => s.id === first.id,
    );
    expect(source.revokedAt).toEqual(expect.any(String));
  });

  it('another MPP’s manager gets 404, a bureau of the province may list but not create', async () => {
    const other = await createMpp(t, admin, { regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' });
    const otherManager = await createUser(t, admin, { role: 'manager', mppIds: [other.id] });
    const bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    const body = { name: 'Mesin lain' };
    expect((await t.as(otherManager.token).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, body)).status).toBe(404);
    expect((await t.as(otherManager.token).get<SignalSourceView[]>(`/api/v1/mpps/${kupang.id}/signal-sources`)).status).toBe(404);
    expect((await t.as(bureau.token).get<SignalSourceView[]>(`/api/v1/mpps/${kupang.id}/signal-sources`)).status).toBe(200);
    const refused = await t.as(bureau.token).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, body);
    expect(refused.status).toBe(403);
    expect(refused.error?.error).toBe('forbidden');
  });
});
