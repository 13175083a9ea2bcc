import { FixedClock } from '../src/common/clock';
import { addDays, mondayOf } from '../src/common/time/iso-week';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';

/**
 * Issue 15, "Verdicts officials can trust", on a fixed clock: each block has its own MPPs and
 * drives the weeks it needs through the HTTP API.
 */
describe('verdicts officials can trust (e2e)', () => {
  const clock = new FixedClock(new Date('2026-02-20T02:00:00Z'));
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  /** Friday 09:00 WIB of the week: the check-in window is open in every zone. */
  const friday = (week: string) => `${addDays(mondayOf(week), 4)}T02:00:00Z`;
  const checkIn = (token: string, mppId: string, week: string, patch: Record<string, unknown> = {}) =>
    t.request('PUT', `/api/v1/mpps/${mppId}/check-ins/${week}`, { token, body: checkInBody(patch) });
  const evaluateAt = async (week: string, at: string) => {
    clock.set(at);
    const res = await t.request('POST', `/api/v1/cycles/${week}/evaluate`, { token: admin });
    expect(res.status).toBe(200);
  };
  const evaluation = async (week: string, mppId: string) =>
    (await t.request('GET', `/api/v1/cycles/${week}/evaluations`, { token: admin })).body.find((e: any) => e.mppId === mppId);

  describe('holiday weeks are not a collapse (transactions per expected day)', () => {
    it('keeps an MPP active in 2026-W12 (Nyepi and cuti bersama on 3 of 5 weekdays) with normal activity on its 2 open days', async () => {
      const mpp = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Lebak (libur)' });
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
      // 200 transactions per open day throughout: W08 had Imlek and its cuti bersama (Mon–Tue).
      const weeks: [string, number][] = [
        ['2026-W08', 3],
        ['2026-W09', 5],
        ['2026-W10', 5],
        ['2026-W11', 5],
      ];
      for (const [week, days] of weeks) {
        clock.set(friday(week));
        expect((await checkIn(manager.token, mpp.id, week, { daysOpen: days, transactions: 200 * days })).status).toBe(201);
        await evaluateAt(week, `${addDays(mondayOf(week), 8)}T05:00:00Z`); // Tuesday after: past every deadline
        expect(await evaluation(week, mpp.id)).toMatchObject({ result: 'active', expectedDays: days });
      }
      clock.set(friday('2026-W12'));
      expect((await checkIn(manager.token, mpp.id, '2026-W12', { daysOpen: 2, transactions: 400 })).status).toBe(201);
      await evaluateAt('2026-W12', '2026-03-25T05:00:00Z');
      // 400 a week is far below the weekly median of 1,000, but 200 per expected day is the usual rate.
      expect(await evaluation('2026-W12', mpp.id)).toMatchObject({ result: 'active', rules: [], expectedDays: 2, transactions: 400 });

      // The same 2 open days with a real collapse is still caught.
      expect((await checkIn(manager.token, mpp.id, '2026-W12', { daysOpen: 2, transactions: 150 })).status).toBe(200);
      expect(await evaluation('2026-W12', mpp.id)).toMatchObject({ result: 'at_risk', rules: ['transactions_drop'] });
    });
  });
});
