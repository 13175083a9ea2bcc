import { addDays, mondayOf } from '../src/common/time/iso-week';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import { CyclesService } from '../src/modules/cycles/cycles.service';
import type { FlagView } from '../src/modules/flags/flags.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';
import type { Holiday } from './support/answers';

/**
 * Issue 15, "Verdicts officials can trust", on a fixed clock: each block has its own MPPs and
 * drives the weeks it needs through the HTTP API.
 */
describe('verdicts officials can trust (e2e)', () => {
  let sc: Scenario;

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-02-20T02:00:00Z' });
  });
  afterAll(() => sc.close());

  /** Friday 09:00 WIB of the week: the check-in window is open in every zone. */
  const friday = (week: string) => `${addDays(mondayOf(week), 4)}T02:00:00Z`;

  describe('holiday weeks are not a collapse (transactions per expected day)', () => {
    it('keeps an MPP active in 2026-W12 (Nyepi and cuti bersama on 3 of 5 weekdays) with normal activity on its 2 open days', async () => {
      const mpp = await sc.mpp({ regencyCode: '36.02', name: 'MPP Lebak (libur)' });
      const manager = await sc.manager(mpp);
      // 200 transactions per open day throughout: W08 had Imlek and its cuti bersama (Mon–Tue).
      const weeks: [string, number][] = [
        ['2026-W08', 3],
        ['2026-W09', 5],
        ['2026-W10', 5],
        ['2026-W11', 5],
      ];
      for (const [week, days] of weeks) {
        sc.clock.set(friday(week));
        expect((await sc.checkIn(manager, mpp.id, week, { daysOpen: days, transactions: 200 * days })).status).toBe(201);
        await sc.evaluateAt(week, `${addDays(mondayOf(week), 8)}T05:00:00Z`); // Tuesday after: past every deadline
        expect(await sc.evaluation(week, mpp.id)).toMatchObject({ result: 'active', expectedDays: days });
      }
      sc.clock.set(friday('2026-W12'));
      expect((await sc.checkIn(manager, mpp.id, '2026-W12', { daysOpen: 2, transactions: 400 })).status).toBe(201);
      await sc.evaluateAt('2026-W12', '2026-03-25T05:00:00Z');
      // 400 a week is far below the weekly median of 1,000, but 200 per expected day is the usual rate.
      expect(await sc.evaluation('2026-W12', mpp.id)).toMatchObject({ result: 'active', rules: [], expectedDays: 2, transactions: 400 });

      // The same 2 open days with a real collapse is still caught.
      expect((await sc.checkIn(manager, mpp.id, '2026-W12', { daysOpen: 2, transactions: 150 })).status).toBe(200);
      expect(await sc.evaluation('2026-W12', mpp.id)).toMatchObject({ result: 'at_risk', rules: ['transactions_drop'] });
    });
  });

  describe('coherent check-ins', () => {
    let mpp: MppView;
    let manager: SignedInUser;
    const revisions = async () => (await sc.t.sql(`SELECT count(*)::int AS n FROM check_in_revisions WHERE mpp_id = $1`, [mpp.id]))[0].n;

    beforeAll(async () => {
      mpp = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kupang (koheren)' }); // Mon–Fri, 2 tenants
      manager = await sc.manager(mpp);
    });

    it.each<[string, Record<string, unknown>, { field: string; problem: string }[]]>([
      [
        'zero days open with visitors and transactions',
        { daysOpen: 0 },
        [
          { field: 'visitors', problem: 'must be 0 when daysOpen is 0' },
          { field: 'transactions', problem: 'must be 0 when daysOpen is 0' },
        ],
      ],
      [
        'more days open than its 5 opening days',
        { daysOpen: 6 },
        [{ field: 'daysOpen', problem: expect.stringContaining('5 opening days') }],
      ],
      [
        'more tenants serving than its 2 registered',
        { tenantsServing: 3 },
        [{ field: 'tenantsServing', problem: expect.stringContaining('2 registered') }],
      ],
      [
        'not operating with transactions',
        { status: 'not_operating', daysOpen: 0, visitors: 0, closureReason: 'Gedung disegel' },
        [{ field: 'transactions', problem: 'must be 0 when the status is not_operating' }],
      ],
    ])('refuses %s with a field-level 400 and stores nothing', async (_name, patch, details) => {
      sc.clock.set(friday('2026-W13'));
      const res = await sc.checkIn(manager, mpp.id, '2026-W13', patch);
      expect(res.status).toBe(400);
      expect(res.error).toMatchObject({ statusCode: 400, error: 'validation_failed', details });
      expect(await revisions()).toBe(0);
    });

    it('shows the opening days, expected days and registered tenants on the form, and the contradictions in Bahasa Indonesia by field', async () => {
      sc.clock.set(friday('2026-W12'));
      const link = sc.t.app
        .get(CheckInLinks)
        .url({ userId: manager.id, mppId: mpp.id, week: '2026-W12' }, 'Asia/Makassar')
        .replace(/^https?:\/\/[^/]+/, '');
      const page = await sc.as().get<string>(link);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/id="opening-days">5</);
      expect(page.text).toMatch(/id="expected-days">2</); // Nyepi and cuti bersama on Wed–Fri
      expect(page.text).toMatch(/id="registered-tenants">2</);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const cookie = ([] as string[])
        .concat(page.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0])
        .join('; ');
      const form = new URLSearchParams({
        _csrf: csrf,
        daysOpen: '0',
        tenantsServing: '3',
        countersOpen: '4',
        visitors: '10',
        transactions: '0',
        status: 'normal',
      });
      const res = await sc.as().post<string>(link, form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<p class="field-error" id="visitors-error">Harus 0 bila jumlah hari buka 0.</p>');
      expect(res.text).toContain(
        '<p class="field-error" id="tenantsServing-error">Melebihi jumlah instansi yang terdaftar di MPP ini.</p>',
      );
      expect(res.text).not.toContain('must');
      expect(await revisions()).toBe(0);
    });
  });

  describe('not-expected weeks', () => {
    it('an MPP inaugurated on a Saturday (Mon–Fri) is not_expected that week: no reminder, out of the rates, no streak', async () => {
      // Tulang Bawang Barat (Lampung, WIB): the only MPP of its province here, so its report line is its own.
      const saturday = await sc.mpp({ regencyCode: '18.12', name: 'MPP Tulang Bawang Barat', inauguratedOn: '2026-04-11' });
      const silent = await sc.mpp({ regencyCode: '18.71', name: 'MPP Bandar Lampung (diam)' });
      await sc.manager(saturday);
      await sc.manager(silent);

      sc.clock.set('2026-04-13T01:00:00Z'); // Monday 08:00 WIB: 4 hours before the W15 deadline
      await sc.planReminders();
      const reminded = await sc.remindedMpps('2026-W15');
      expect(reminded).toContain(silent.id);
      expect(reminded).not.toContain(saturday.id);

      await sc.evaluateAt('2026-W15', '2026-04-14T05:00:00Z');
      expect(await sc.evaluation('2026-W15', saturday.id)).toMatchObject({
        result: 'not_expected',
        rules: ['no_opening_day'],
        expectedDays: 0,
        notReportingStreak: 0,
      });
      const [lampung] = await sc.t.sql(
        `SELECT expected, reported, not_expected, not_reporting FROM report_weekly WHERE week = $1 AND province_code = '18'`,
        ['2026-W15'],
      );
      expect(lampung).toEqual({ expected: 1, reported: 0, not_expected: 1, not_reporting: 1 }); // only the silent MPP is in the denominator
      const weekly = await sc.admin.get<unknown>('/api/v1/reports/weekly/2026-W15?province=18');
      expect(weekly.status).toBe(200);
      expect(JSON.stringify(weekly.body)).toContain('"not_expected":1');
      const cycle = await sc.admin.get<CycleView>('/api/v1/cycles/2026-W15');
      expect(cycle.body.counts.not_expected).toBeGreaterThanOrEqual(1);

      // The next week, still silent: the first not-reporting week, so not flagged.
      await sc.evaluateAt('2026-W16', '2026-04-21T05:00:00Z');
      expect(await sc.evaluation('2026-W16', saturday.id)).toMatchObject({ result: 'not_reporting', notReportingStreak: 1 });
      expect(await sc.evaluation('2026-W16', silent.id)).toMatchObject({ result: 'inactive', notReportingStreak: 2 });
      const flagged = (await sc.admin.get<FlagView[]>('/api/v1/flags')).body.map((f) => f.mppId);
      expect(flagged).toContain(silent.id);
      expect(flagged).not.toContain(saturday.id);
    });
  });

  describe('deadlines on holidays', () => {
    it('moves the 2026-W33 deadline off Monday 2026-08-17 to Tuesday 12:00 local: on-time check-ins, reminder and evaluation follow', async () => {
      const mpp = await sc.mpp({ regencyCode: '11.04', name: 'MPP Aceh Tengah (17 Agustus)' }); // WIB
      const late = await sc.mpp({ regencyCode: '11.05', name: 'MPP Aceh Timur (17 Agustus)' });
      const manager = await sc.manager(mpp);
      await sc.manager(late);
      const cycles = sc.t.app.get(CyclesService);

      sc.clock.set('2026-08-17T01:00:00Z'); // Monday 08:00 WIB: no reminder yet, the deadline is not today
      await cycles.ensureCycles();
      await sc.planReminders();
      expect(await sc.remindedMpps('2026-W33')).toEqual([]);
      const [cycle] = await sc.t.sql(`SELECT deadline_wib, evaluate_due_at FROM cycles WHERE week = '2026-W33'`);
      expect(cycle).toEqual({ deadline_wib: new Date('2026-08-18T05:00:00Z'), evaluate_due_at: new Date('2026-08-18T05:00:00Z') });

      sc.clock.set('2026-08-17T07:00:00Z'); // Monday 14:00 WIB, a national holiday
      const res = await sc.checkIn(manager, mpp.id, '2026-W33');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ late: false, deadline: '2026-08-18T05:00:00.000Z' });

      sc.clock.set('2026-08-18T01:00:00Z'); // Tuesday 08:00 WIB: reminderHoursBeforeDeadline (4) before the moved deadline
      await sc.planReminders();
      const reminded = await sc.remindedMpps('2026-W33');
      expect(reminded).toContain(late.id); // the other MPPs of this file have not reported either
      expect(reminded).not.toContain(mpp.id);
      const [reminder] = await sc.t.sql(
        `SELECT DISTINCT payload->>'deadline' AS deadline FROM notifications
          WHERE kind = 'manager_reminder' AND week = '2026-W33' AND payload->>'zone' = 'WIB'`,
      );
      expect(reminder.deadline).toBe('2026-08-18T05:00:00.000Z');

      sc.clock.set('2026-08-18T04:59:00Z'); // Tuesday 11:59 WIB
      expect(await cycles.dueWeeks()).not.toContain('2026-W33');
      expect(await cycles.evaluateIfDue('2026-W33')).toBeNull();
      expect((await sc.admin.post<CycleView>('/api/v1/cycles/2026-W33/evaluate')).status).toBe(409);
      expect((await sc.admin.get<CycleView>('/api/v1/cycles/2026-W33')).body).toMatchObject({
        state: 'open',
        deadlineWib: '2026-08-18T05:00:00.000Z',
      });

      sc.clock.set('2026-08-18T05:00:00Z'); // Tuesday 12:00 WIB
      expect(await cycles.dueWeeks()).toContain('2026-W33');
      expect(await cycles.evaluateIfDue('2026-W33')).not.toBeNull();
      expect(await sc.evaluation('2026-W33', mpp.id)).toMatchObject({ result: 'active', onTime: true });
      expect(await sc.evaluation('2026-W33', late.id)).toMatchObject({ result: 'not_reporting' });
    });

    it('moves a deadline when an admin adds a holiday on a deadline Monday after the cycle was created', async () => {
      const cycles = sc.t.app.get(CyclesService);
      sc.clock.set('2026-09-09T02:00:00Z'); // Wednesday of 2026-W37
      await cycles.ensureCycles();
      const due = async () => (await sc.t.sql(`SELECT evaluate_due_at FROM cycles WHERE week = '2026-W37'`))[0].evaluate_due_at;
      expect(await due()).toEqual(new Date('2026-09-14T05:00:00Z'));
      const added = await sc.admin.post<Holiday>('/api/v1/holidays', {
        date: '2026-09-14',
        kind: 'national',
        name: 'Libur nasional tambahan',
      });
      expect(added.status).toBe(201);
      await cycles.ensureCycles();
      expect(await due()).toEqual(new Date('2026-09-15T05:00:00Z'));
    });
  });
});
