import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';

/**
 * Issue 15, second round: closures officials approve, re-evaluations that carry to later weeks,
 * and retired MPPs. Each block has its own MPPs and drives the weeks it needs through the API.
 */
describe('verdicts officials can trust, second round (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  const checkIn = (token: string, mppId: string, week: string, patch: Record<string, unknown> = {}) =>
    t.request('PUT', `/api/v1/mpps/${mppId}/check-ins/${week}`, { token, body: checkInBody(patch) });
  const evaluateAt = async (week: string, at: string) => {
    clock.set(at);
    const res = await t.request('POST', `/api/v1/cycles/${week}/evaluate`, { token: admin });
    expect(res.status).toBe(200);
  };
  const evaluation = async (week: string, mppId: string) =>
    (await t.request('GET', `/api/v1/cycles/${week}/evaluations`, { token: admin })).body.find((e: any) => e.mppId === mppId);
  const flagsOf = async (mppId: string) => (await t.request('GET', `/api/v1/flags?mppId=${mppId}`, { token: admin })).body;

  describe('a late check-in carries to the later weeks (item 8)', () => {
    it('turns W48 from inactive-by-streak into not_reporting with streak 1 and withdraws the flag W48 opened', async () => {
      const mpp = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kupang (beruntun)' });
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
      await evaluateAt('2026-W47', '2026-11-24T06:00:00Z'); // W47 open to corrections until 1 December
      await evaluateAt('2026-W48', '2026-11-30T05:30:00Z');
      expect(await evaluation('2026-W47', mpp.id)).toMatchObject({ result: 'not_reporting', notReportingStreak: 1 });
      expect(await evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive', notReportingStreak: 2 });
      const [flag] = await flagsOf(mpp.id);
      expect(flag).toMatchObject({ state: 'open', openedWeek: '2026-W48' });

      clock.set('2026-11-30T08:00:00Z');
      const late = await checkIn(manager.token, mpp.id, '2026-W47');
      expect(late.status).toBe(201);
      expect(late.body.late).toBe(true);

      expect(await evaluation('2026-W47', mpp.id)).toMatchObject({ result: 'active', notReportingStreak: 0 });
      expect(await evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'not_reporting', notReportingStreak: 1 });
      const [after] = await flagsOf(mpp.id);
      expect(after.state).toBe('resolved');
      expect(after.history.at(-1)).toMatchObject({
        from: 'open',
        to: 'resolved',
        by: 'Sistem MPP Monitor',
        week: '2026-W48',
        note: expect.stringContaining('mengubah hasil minggu 2026-W48'),
      });
      expect(
        (await t.request('GET', '/api/v1/flags?state=unresolved', { token: admin })).body.filter((f: any) => f.mppId === mpp.id),
      ).toEqual([]);
    });
  });
});
