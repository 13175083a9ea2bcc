import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { EvaluationRow } from './support/scenario';
import type { ClosureView } from '../src/modules/mpps/closures.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { FlagView, FlagDetailView } from '../src/modules/flags/flags.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { EvaluationSettings } from '../src/modules/cycles/evaluation.rules';
import type { SettingsChange } from './support/answers';

/**
 * Two consecutive weeks (2026-W48, 2026-W49) through the HTTP API, MPPs in WIB, WITA and WIT, on
 * a fixed clock. The scenario runs in order; each test is one step of the weeks.
 */
describe('weekly cycle: check-ins, evaluation and flags (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z')); // Wednesday of W48
  let t: TestApp;
  let admin: string;
  let scheduler: CyclesScheduler;
  const mpp: Record<string, MppView> = {};
  const manager: Record<string, { id: string; token: string }> = {};
  let bureauNtt: { token: string };
  let bureauSulteng: { token: string };
  let ministry: { token: string };

  const put = (who: string, week: string, body = checkInBody(), id = mpp[who].id) =>
    t.as(manager[who].token).put<CheckInView>(`/api/v1/mpps/${id}/check-ins/${week}`, body);
  const evaluations = async (week: string, token = admin) =>
    Object.fromEntries((await t.as(token).get<EvaluationRow[]>(`/api/v1/cycles/${week}/evaluations`)).body.map((e) => [e.mppName, e]));
  const counts = async () =>
    (await t.sql(`SELECT (SELECT count(*)::int FROM check_ins) AS c, (SELECT count(*)::int FROM check_in_revisions) AS r`))[0];

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app); // the test drives tick() itself
    scheduler = t.app.get(CyclesScheduler);
    admin = await t.adminToken();
    const regencies: Record<string, [string, number[]?]> = {
      kupang: ['53.71'], // WITA
      lebak: ['36.02'], // WIB
      jayapura: ['91.03'], // WIT
      yapen: ['91.05'], // WIT
      buleleng: ['51.08', [1, 2, 3, 4, 5, 6]], // WITA, open Saturdays
      aceh: ['11.04'], // WIB
      morowali: ['72.06'], // WITA
    };
    for (const [key, [regencyCode, openingDays]] of Object.entries(regencies)) {
      mpp[key] = await createMpp(t, admin, { regencyCode, name: `MPP ${key}`, openingDays });
      manager[key] = await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id] });
    }
    mpp.future = await createMpp(t, admin, { regencyCode: '53.19', name: 'MPP future', inauguratedOn: '2026-12-10' });
    manager.future = await createUser(t, admin, { role: 'manager', mppIds: [mpp.future.id] });
    bureauNtt = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    bureauSulteng = await createUser(t, admin, { role: 'bureau', provinceCode: '72' });
    ministry = await createUser(t, admin, { role: 'ministry' });
  });
  afterAll(() => t.close());

  it('refuses check-ins before the window opens (Friday 00:00 local) and for weeks not begun', async () => {
    const early = await put('kupang', '2026-W48');
    expect(early.status).toBe(409);
    expect(early.error?.error).toBe('check_in_not_open');
    expect((await put('kupang', '2026-W50')).status).toBe(409);
    expect(await counts()).toEqual({ c: 0, r: 0 });
  });

  it('declares a planned closure ahead (Aceh Tengah, the whole of W49)', async () => {
    const res = await t.as(manager.aceh.token).post<ClosureView>(`/api/v1/mpps/${mpp.aceh.id}/closures`, {
      from: '2026-11-30',
      to: '2026-12-06',
      reason: 'Renovasi gedung MPP',
      kind: 'renovation',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mppId: mpp.aceh.id,
      from: '2026-11-30',
      to: '2026-12-06',
      category: 'renovation',
      status: 'approved',
    });
    // Issue 15: a manager may declare afterwards, within the correction window, but it waits for the bureau.
    const past = await t
      .as(manager.aceh.token)
      .post<ClosureView>(`/api/v1/mpps/${mpp.aceh.id}/closures`, { from: '2026-11-20', to: '2026-11-21', reason: 'Terlambat dilaporkan' });
    expect(past.status).toBe(201);
    expect(past.body).toMatchObject({ category: 'other', status: 'pending_approval' });
    const tooLate = await t.as(manager.aceh.token).post<ClosureView>(`/api/v1/mpps/${mpp.aceh.id}/closures`, {
      from: '2026-10-01',
      to: '2026-10-02',
      reason: 'Jauh terlambat dilaporkan',
    });
    expect(tooLate.status).toBe(400);
    expect(tooLate.error?.details).toEqual([{ field: 'from', problem: expect.stringContaining('locked') }]);
    const backwards = await t
      .as(manager.aceh.token)
      .post<ClosureView>(`/api/v1/mpps/${mpp.aceh.id}/closures`, { from: '2026-12-10', to: '2026-12-01', reason: 'Terbalik' });
    expect(backwards.status).toBe(400);
    const other = await t
      .as(manager.kupang.token)
      .post<ClosureView>(`/api/v1/mpps/${mpp.aceh.id}/closures`, { from: '2026-12-10', to: '2026-12-11', reason: 'Bukan MPP saya' });
    expect(other.status).toBe(404);
  });

  it('accepts the W48 check-ins from Friday: 201 first, the same body again is 200 with no new revision', async () => {
    clock.set('2026-11-27T02:00:00Z'); // Friday 09:00 WIB / 10:00 WITA / 11:00 WIT
    const first = await put('kupang', '2026-W48');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      mppId: mpp.kupang.id,
      week: '2026-W48',
      revision: 1,
      late: false,
      submittedAt: '2026-11-27T02:00:00.000Z',
      submittedBy: manager.kupang.id,
      daysOpen: 5,
      problems: 'Printer KTP rusak sejak Rabu',
    });
    const again = await put('kupang', '2026-W48');
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(1);
    const revised = await put('kupang', '2026-W48', checkInBody({ visitors: 1500 }));
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ revision: 2, visitors: 1500 });
    const all = await t.as(bureauNtt.token).get<CheckInView[]>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48?revisions=all`);
    expect(all.body.map((r) => [r.revision, r.visitors])).toEqual([
      [1, 1450],
      [2, 1500],
    ]);
    const current = await t.as(ministry.token).get<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`);
    expect(current.body).toMatchObject({
      revision: 2,
      visitors: 1500,
      late: false,
      channels: { direct: true, mobile: true, self: false, electronic: true },
    });

    expect(
      (
        await put(
          'lebak',
          '2026-W48',
          checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Gedung disegel pemda' }),
        )
      ).status,
    ).toBe(201);
    expect((await put('aceh', '2026-W48', checkInBody({ daysOpen: 3 }))).status).toBe(201);
  });

  it.each([
    ['daysOpen above 7', { daysOpen: 8 }, 'daysOpen'],
    ['a negative count', { visitors: -1 }, 'visitors'],
    ['a fractional count', { transactions: 1.5 }, 'transactions'],
    ['a count as a string', { visitors: '100' }, 'visitors'],
    ['an absurd count', { transactions: 1e12 }, 'transactions'],
    ['an unknown status', { status: 'closed' }, 'status'],
    ['a closure without a reason', { status: 'temporarily_closed', closureReason: null }, 'closureReason'],
    ['more tenants serving than registered', { tenantsServing: 3 }, 'tenantsServing'],
    ['a missing channel', { channels: { direct: true, mobile: false, self: false } }, 'channels.electronic'],
    ['an over-long problems text', { problems: 'x'.repeat(2001) }, 'problems'],
    ['an unknown field', { color: 'blue' }, 'color'],
    ['a prototype-pollution key', JSON.parse('{"__proto__": {"admin": true}}'), '__proto__'],
  ])('refuses %s with 400 and writes nothing', async (_name, patch, field) => {
    const before = await counts();
    const res = await put('jayapura', '2026-W48', checkInBody(patch));
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    if (field !== '__proto__') expect(res.error?.details.map((d) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('refuses a malformed week and answers scope: bureau 403, another manager 404', async () => {
    expect(
      (await t.as(manager.jayapura.token).put<CheckInView>(`/api/v1/mpps/${mpp.jayapura.id}/check-ins/2026-W54`, checkInBody())).status,
    ).toBe(400);
    expect((await t.as(bureauNtt.token).put<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`, checkInBody())).status).toBe(
      403,
    );
    expect(
      (await t.as(manager.jayapura.token).put<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`, checkInBody())).status,
    ).toBe(404);
    expect((await t.as(bureauSulteng.token).get<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`)).status).toBe(404);
    expect((await t.as(manager.jayapura.token).get<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`)).status).toBe(404);
  });

  it('refuses a check-in for an MPP not yet inaugurated that week', async () => {
    const res = await put('future', '2026-W48');
    expect(res.status).toBe(409);
    expect(res.error?.error).toBe('mpp_not_inaugurated');
  });

  it('marks a WIT check-in at 11:59 Monday on time and one at 12:01 late', async () => {
    clock.set('2026-11-30T02:59:00Z'); // Monday 11:59 WIT
    expect((await put('jayapura', '2026-W48')).body.late).toBe(false);
    clock.set('2026-11-30T03:01:00Z'); // Monday 12:01 WIT (still 11:01 WITA, 10:01 WIB)
    const late = await put('yapen', '2026-W48');
    expect(late.status).toBe(201);
    expect(late.body.late).toBe(true);
    expect(late.body.deadline).toBe('2026-11-30T03:00:00.000Z');
  });

  it('keeps the cycle open until Monday 12:00 WIB; evaluating earlier is refused', async () => {
    clock.set('2026-11-30T04:59:00Z');
    const cycle = await t.as(bureauNtt.token).get<CycleView>('/api/v1/cycles/2026-W48');
    expect(cycle.body).toMatchObject({
      week: '2026-W48',
      state: 'open',
      startsAt: '2026-11-22T15:00:00.000Z',
      deadlineWib: '2026-11-30T05:00:00.000Z',
    });
    const early = await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate');
    expect(early.status).toBe(409);
    expect(await scheduler.tick()).toBe(0);
  });

  it('evaluates W48 once when it is due, with one result per expected MPP', async () => {
    clock.set('2026-11-30T05:00:00Z');
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    const cycle = (await t.as(admin).get<CycleView>('/api/v1/cycles/2026-W48')).body;
    expect(cycle).toMatchObject({
      state: 'evaluated',
      evaluatedAt: '2026-11-30T05:00:00.000Z',
      evaluationRuns: 1,
      counts: { active: 3, at_risk: 1, inactive: 1, not_reporting: 2, excused: 0, not_expected: 0 },
    });
    const e = await evaluations('2026-W48');
    expect(Object.keys(e).sort()).toEqual([
      'MPP aceh',
      'MPP buleleng',
      'MPP jayapura',
      'MPP kupang',
      'MPP lebak',
      'MPP morowali',
      'MPP yapen',
    ]);
    expect(e['MPP kupang']).toMatchObject({ result: 'active', rules: [], reported: true, onTime: true, expectedDays: 5 });
    expect(e['MPP lebak']).toMatchObject({ result: 'inactive', rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'] });
    expect(e['MPP aceh']).toMatchObject({ result: 'at_risk', rules: ['fewer_days_than_expected'] });
    expect(e['MPP yapen']).toMatchObject({ result: 'active', reported: true, onTime: false });
    expect(e['MPP buleleng']).toMatchObject({ result: 'not_reporting', rules: ['not_reporting'], expectedDays: 6, reported: false });
    const flags = (await t.as(admin).get<FlagView[]>('/api/v1/flags')).body;
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      mppId: mpp.lebak.id,
      state: 'open',
      openedWeek: '2026-W48',
      rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'],
    });
    expect(flags[0].history).toEqual([expect.objectContaining({ from: null, to: 'open', week: '2026-W48' })]);
    const metrics = (await t.as().get('/metrics')).text;
    expect(metrics).toContain('mpp_evaluation_duration_seconds_count{scope="all"} 1');
    expect(metrics).toContain('mpp_cycles_overdue 0');
    expect(metrics).toMatch(/mpp_check_ins_total\{outcome="created",late="true"\} 1\n/); // Yapen, 12:01 WIT
    expect(metrics).toMatch(/mpp_check_ins_total\{outcome="unchanged",late="false"\} 1\n/);
  });

  it('gives one set of results for 5 concurrent evaluation triggers', async () => {
    const before = await t.sql(`SELECT mpp_id, result, rules FROM evaluations WHERE week = '2026-W48' ORDER BY mpp_id`);
    const runs = await Promise.all(Array.from({ length: 5 }, () => t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await t.sql(`SELECT mpp_id, result, rules FROM evaluations WHERE week = '2026-W48' ORDER BY mpp_id`)).toEqual(before);
    expect(await t.sql(`SELECT count(*)::int AS n FROM flags`)).toEqual([{ n: 1 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM flag_events`)).toEqual([{ n: 1 }]);
    expect((await t.as(admin).get<CycleView>('/api/v1/cycles/2026-W48')).body).toMatchObject({
      evaluationRuns: 6,
      evaluatedAt: '2026-11-30T05:00:00.000Z',
    });
  });

  it('scopes evaluations: a bureau sees its province, a manager its MPP', async () => {
    expect(Object.keys(await evaluations('2026-W48', bureauNtt.token))).toEqual(['MPP kupang']);
    expect(Object.keys(await evaluations('2026-W48', manager.lebak.token))).toEqual(['MPP lebak']);
    const filtered = await t.as(ministry.token).get<EvaluationRow[]>('/api/v1/cycles/2026-W48/evaluations?result=not_reporting');
    expect(filtered.body.map((e) => e.mppName).sort()).toEqual(['MPP buleleng', 'MPP morowali']);
    const bureauCycle = (await t.as(bureauNtt.token).get<CycleView>('/api/v1/cycles/2026-W48')).body;
    expect(bureauCycle.counts).toEqual({ active: 1, at_risk: 0, inactive: 0, not_reporting: 0, excused: 0, not_expected: 0 });
    expect((await t.as(ministry.token).get<MppView[]>('/api/v1/mpps?result=inactive')).body.map((m) => m.name)).toEqual(['MPP lebak']);
  });

  it('re-evaluates an MPP for its week when a late check-in arrives after evaluation', async () => {
    clock.set('2026-11-30T06:00:00Z');
    const res = await put('buleleng', '2026-W48', checkInBody({ daysOpen: 6 }));
    expect(res.status).toBe(201);
    expect(res.body.late).toBe(true);
    expect((await evaluations('2026-W48'))['MPP buleleng']).toMatchObject({ result: 'active', reported: true, onTime: false });
    expect((await t.as(admin).get<CycleView>('/api/v1/cycles/2026-W48')).body.counts).toMatchObject({
      active: 4,
      not_reporting: 1,
    });
  });

  it('evaluates W49: a second silent week is inactive and flagged, the closed week excused, the fallen MPP stays flagged', async () => {
    clock.set('2026-12-04T02:00:00Z'); // Friday of W49
    for (const who of ['kupang', 'lebak', 'jayapura', 'yapen', 'buleleng']) {
      expect((await put(who, '2026-W49', checkInBody({ daysOpen: who === 'buleleng' ? 6 : 5 }))).status).toBe(201);
    }
    clock.set('2026-12-07T05:00:00Z');
    expect(await scheduler.tick()).toBe(1);
    const e = await evaluations('2026-W49');
    expect(e['MPP morowali']).toMatchObject({
      result: 'inactive',
      rules: ['not_reporting', 'not_reporting_consecutive'],
      notReportingStreak: 2,
    });
    expect(e['MPP aceh']).toMatchObject({ result: 'excused', rules: ['planned_closure'], expectedDays: 0 });
    expect(e['MPP lebak']).toMatchObject({ result: 'active' });
    const flags = (await t.as(ministry.token).get<FlagView[]>('/api/v1/flags?state=open')).body;
    expect(flags.map((f) => [f.mppName, f.openedWeek, f.lastWeek])).toEqual([
      ['MPP lebak', '2026-W48', '2026-W48'],
      ['MPP morowali', '2026-W49', '2026-W49'],
    ]);
    const cycles = (await t.as(bureauNtt.token).get<CycleView[]>('/api/v1/cycles')).body;
    expect(cycles.map((c) => [c.week, c.state])).toEqual([
      ['2026-W50', 'open'],
      ['2026-W49', 'evaluated'],
      ['2026-W48', 'evaluated'],
    ]);
    expect(cycles.map((c) => c.counts.active)).toEqual([0, 1, 1]); // the bureau's province only: Kupang
    expect(cycles[1].counts).toEqual({ active: 1, at_risk: 0, inactive: 0, not_reporting: 0, excused: 0, not_expected: 0 });
  });

  it('one flag answers its rules in numbers with the evaluation settings as stored now (read in the same statement as the flag)', async () => {
    const [flag] = (await t.as(bureauSulteng.token).get<FlagView[]>('/api/v1/flags')).body;
    const facts = async () => (await t.as(bureauSulteng.token).get<FlagDetailView>(`/api/v1/flags/${flag.id}`)).body.ruleFacts;
    expect(await facts()).toContainEqual({ code: 'not_reporting_consecutive', values: { weeks: 2 } });
    expect((await t.as(admin).put<EvaluationSettings>('/api/v1/settings/evaluation', { notReportingWeeksForInactive: 3 })).status).toBe(
      200,
    );
    // The threshold now in force, as the bureau reads it: "not reported for 3 weeks in a row" (the setting), not 2.
    expect(await facts()).toContainEqual({ code: 'not_reporting_consecutive', values: { weeks: 3 } });
    expect((await t.as(admin).put<EvaluationSettings>('/api/v1/settings/evaluation', { notReportingWeeksForInactive: 2 })).status).toBe(
      200,
    );
    expect(await facts()).toContainEqual({ code: 'not_reporting_consecutive', values: { weeks: 2 } });
  });

  it('moves flags through their states, recording who, when and a note', async () => {
    const [flag] = (await t.as(bureauSulteng.token).get<FlagView[]>('/api/v1/flags')).body;
    expect(flag.mppName).toBe('MPP morowali');
    const skip = await t
      .as(bureauSulteng.token)
      .post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'resolved', note: 'Langsung tutup' });
    expect(skip.status).toBe(409);
    expect(skip.error?.error).toBe('invalid_transition');
    clock.set('2026-12-07T06:00:00Z');
    const ack = await t
      .as(bureauSulteng.token)
      .post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'acknowledged', note: 'Sudah ditelepon, pengelola sakit' });
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe('acknowledged');
    expect(ack.body.history[1]).toMatchObject({
      from: 'open',
      to: 'acknowledged',
      at: '2026-12-07T06:00:00.000Z',
      note: 'Sudah ditelepon, pengelola sakit',
      by: expect.stringContaining('bureau'),
    });
    expect(
      (await t.as(bureauNtt.token).post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'in_follow_up', note: 'x'.repeat(10) }))
        .status,
    ).toBe(404);
    expect((await t.as(bureauNtt.token).get<FlagDetailView>(`/api/v1/flags/${flag.id}`)).status).toBe(404);
    expect(
      (
        await t
          .as(manager.morowali.token)
          .post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'in_follow_up', note: 'Saya sendiri' })
      ).status,
    ).toBe(403);
    expect((await t.as(bureauSulteng.token).post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'in_follow_up' })).status).toBe(
      400,
    );
    const follow = await t
      .as(ministry.token)
      .post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'in_follow_up', note: 'Kunjungan lapangan dijadwalkan' });
    expect(follow.body.state).toBe('in_follow_up');
    const done = await t
      .as(bureauSulteng.token)
      .post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, { to: 'resolved', note: 'MPP buka kembali' });
    expect(done.body.state).toBe('resolved');
    expect(done.body.history.map((h) => h.to)).toEqual(['open', 'acknowledged', 'in_follow_up', 'resolved']);
  });

  it('locks a week after the correction period; an admin can unlock it', async () => {
    clock.set('2026-12-07T05:00:01Z'); // W48 evaluated 2026-11-30T05:00Z + 7 days
    const locked = await put('morowali', '2026-W48');
    expect(locked.status).toBe(409);
    expect(locked.error?.error).toBe('week_locked');
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W50/unlock')).status).toBe(409);
    const unlock = await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/unlock');
    expect(unlock.body).toMatchObject({ locked: false, locksAt: '2026-12-14T05:00:01.000Z' });
    expect((await put('morowali', '2026-W48')).status).toBe(201);
  });

  it('reopens a resolved flag when the MPP falls again in a later week', async () => {
    clock.set('2026-12-11T02:00:00Z'); // Friday of W50
    await put(
      'morowali',
      '2026-W50',
      checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Listrik padam' }),
    );
    clock.set('2026-12-14T05:00:00Z');
    await scheduler.tick();
    const flags = (await t.as(admin).get<FlagView[]>(`/api/v1/flags?mppId=${mpp.morowali.id}`)).body;
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ state: 'open', openedWeek: '2026-W49', reopenedWeek: '2026-W50' });
    expect(flags[0].history.at(-1)).toMatchObject({ from: 'resolved', to: 'open', week: '2026-W50' });
  });

  it('lets an admin tune thresholds, keeping an audit of each change', async () => {
    const denied = await t.as(ministry.token).put<EvaluationSettings>('/api/v1/settings/evaluation', { minTenantsServingRatio: 0.9 });
    expect(denied.status).toBe(403);
    const bad = await t.as(admin).put<EvaluationSettings>('/api/v1/settings/evaluation', { minTenantsServingRatio: 2 });
    expect(bad.status).toBe(400);
    const ok = await t.as(admin).put<EvaluationSettings>('/api/v1/settings/evaluation', { minTenantsServingRatio: 0.9 });
    expect(ok.body).toMatchObject({ minTenantsServingRatio: 0.9, notReportingWeeksForInactive: 2 });
    const history = await t.as(admin).get<SettingsChange[]>('/api/v1/settings/evaluation/history');
    expect(history.body[0]).toMatchObject({
      before: expect.objectContaining({ minTenantsServingRatio: 0.5 }),
      after: expect.objectContaining({ minTenantsServingRatio: 0.9 }),
    });
  });
});
