import { SchedulerRegistry } from '@nestjs/schedule';
import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { EvaluationRow } from './support/scenario';
import type { Holiday, Readiness } from './support/answers';

const METRICS_TOKEN = 'prometheus-scrape-token-2026';

async function startWorker(clock: FixedClock, databaseUrl?: string): Promise<TestApp> {
  const t = await TestApp.start({ clock, databaseUrl, env: { APP_MODE: 'all', METRICS_TOKEN } });
  await stopCycleCron(t.app);
  return t;
}

describe('cycle scheduling kept honest by the database (e2e)', () => {
  it('evaluates on start a cycle whose evaluation time passed while the app was down', async () => {
    const clock = new FixedClock(new Date('2026-11-25T02:00:00Z')); // Wednesday of W48
    const first = await startWorker(clock);
    const admin = await first.adminToken();
    const kupang = await createMpp(first, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    expect((await first.as(admin).get<CycleView>('/api/v1/cycles/2026-W48')).body.state).toBe('open');
    expect(await first.sql(`SELECT week, evaluated_at FROM cycles`)).toEqual([{ week: '2026-W48', evaluated_at: null }]);
    const databaseUrl = first.config.databaseUrl;
    await first.close({ keepDatabase: true });

    clock.set('2026-12-01T09:00:00Z'); // the Monday deadline passed while nothing ran
    const second = await startWorker(clock, databaseUrl);
    try {
      const cycle = (await second.as(await second.adminToken()).get<CycleView>('/api/v1/cycles/2026-W48')).body;
      expect(cycle).toMatchObject({ state: 'evaluated', evaluationRuns: 1, counts: { not_reporting: 1 } });
      expect(await second.sql(`SELECT week FROM cycles ORDER BY week`)).toEqual([{ week: '2026-W48' }, { week: '2026-W49' }]);
      expect(await second.sql(`SELECT mpp_id, result FROM evaluations`)).toEqual([{ mpp_id: kupang.id, result: 'not_reporting' }]);
    } finally {
      await second.close();
    }
  });

  it('runs exactly one evaluation per cycle when three replicas tick at once', async () => {
    const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));
    const a = await startWorker(clock);
    const others = await Promise.all([startWorker(clock, a.config.databaseUrl), startWorker(clock, a.config.databaseUrl)]);
    try {
      const admin = await a.adminToken();
      await createMpp(a, admin, { regencyCode: '91.03' });
      clock.set('2026-11-30T05:00:00Z');
      const evaluated = await Promise.all([a, ...others].map((r) => r.app.get(CyclesScheduler).tick()));
      expect(evaluated.reduce((x, y) => x + y, 0)).toBe(1);
      expect(await a.sql(`SELECT evaluation_runs FROM cycles WHERE week = '2026-W48'`)).toEqual([{ evaluation_runs: 1 }]);
      // Worker processes also prune the shared login counters and spent citizen-report challenges, hourly.
      expect(a.app.get(SchedulerRegistry).getCronJob('rate-limits-prune')).toBeDefined();
      expect(a.app.get(SchedulerRegistry).getCronJob('spent-challenges-prune')).toBeDefined();
    } finally {
      for (const r of others) await r.close({ keepDatabase: true });
      await a.close();
    }
  });

  it('lowers the days expected by national holidays and cuti bersama (W52: 24 and 25 December 2026)', async () => {
    const clock = new FixedClock(new Date('2026-12-25T02:00:00Z')); // Friday of W52
    const t = await startWorker(clock);
    try {
      const admin = await t.adminToken();
      const lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Lebak' });
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [lebak.id] });
      const holidays = (await t.as(admin).get<Holiday[]>('/api/v1/holidays?year=2026')).body;
      expect(holidays.filter((h) => h.date >= '2026-12-21' && h.date <= '2026-12-27')).toEqual([
        { date: '2026-12-24', kind: 'cuti_bersama', name: 'Cuti bersama Kelahiran Yesus Kristus' },
        { date: '2026-12-25', kind: 'national', name: 'Kelahiran Yesus Kristus' },
      ]);
      const res = await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${lebak.id}/check-ins/2026-W52`, checkInBody({ daysOpen: 3 }));
      expect(res.status).toBe(201);
      clock.set('2026-12-28T05:00:00Z');
      await t.app.get(CyclesScheduler).tick();
      const [e] = (await t.as(admin).get<EvaluationRow[]>('/api/v1/cycles/2026-W52/evaluations')).body;
      expect(e).toMatchObject({ result: 'active', expectedDays: 3 });
    } finally {
      await t.close();
    }
  });

  it("lets an admin add the next year's cuti bersama, and only an admin", async () => {
    const t = await TestApp.start();
    try {
      const admin = await t.adminToken();
      const ministry = await createUser(t, admin, { role: 'ministry' });
      const body = { date: '2027-03-08', kind: 'cuti_bersama', name: 'Cuti bersama Hari Suci Nyepi' };
      expect((await t.as(ministry.token).post<Holiday>('/api/v1/holidays', body)).status).toBe(403);
      expect((await t.as(admin).post<Holiday>('/api/v1/holidays', body)).status).toBe(201);
      expect((await t.as(admin).post<Holiday>('/api/v1/holidays', body)).status).toBe(409);
      expect((await t.as(admin).post<Holiday>('/api/v1/holidays', { ...body, date: '2027-02-30' })).status).toBe(400);
      const list = (await t.as(ministry.token).get<Holiday[]>('/api/v1/holidays?year=2027')).body;
      expect(list).toContainEqual(body);
      expect((await t.as(admin).delete('/api/v1/holidays/2027-03-08')).status).toBe(204);
      expect((await t.as(admin).delete('/api/v1/holidays/2027-03-08')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('a scheduler outage longer than eight weeks (e2e)', () => {
  it('catches up every missed week in order when it starts 10 weeks after the last evaluation', async () => {
    const clock = new FixedClock(new Date('2026-09-15T02:00:00Z')); // Tuesday of W38
    const first = await startWorker(clock);
    const admin = await first.adminToken();
    const kupang = await createMpp(first, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang (padam)' });
    clock.set('2026-09-21T06:00:00Z'); // W38's evaluation time passed
    await first.app.get(CyclesScheduler).tick();
    expect(await first.sql(`SELECT week, result FROM evaluations`)).toEqual([{ week: '2026-W38', result: 'not_reporting' }]);
    const databaseUrl = first.config.databaseUrl;
    await first.close({ keepDatabase: true });

    clock.set('2026-11-30T06:00:00Z'); // ten weeks later: W48's evaluation time passed while nothing ran
    const second = await startWorker(clock, databaseUrl);
    try {
      const weeks = await second.sql(
        `SELECT week, result, not_reporting_streak AS streak FROM evaluations WHERE mpp_id = $1 ORDER BY week_start`,
        [kupang.id],
      );
      expect(weeks.map((w) => w.week)).toEqual(Array.from({ length: 11 }, (_, i) => `2026-W${38 + i}`));
      // Each week followed the one before: the streak counts every silent week.
      expect(weeks.map((w) => w.streak)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(weeks.at(-1)).toMatchObject({ result: 'inactive' });
      // The operators' view (METRICS_TOKEN): nothing left overdue.
      const operator = { authorization: `Bearer ${METRICS_TOKEN}` };
      const ready = await second.as().get<Readiness>('/health/ready', { headers: operator });
      expect(ready.body.checks.database.cyclesOverdue).toBe(0);
      expect((await second.as().get('/metrics', { headers: operator })).text).toMatch(/^mpp_cycles_overdue 0$/m);
    } finally {
      await second.close();
    }
  });
});
