import type { INestApplication } from '@nestjs/common';
import { FixedClock } from '../src/common/clock';
import { DataSource } from 'typeorm';
import { ReportAnswers } from '../src/modules/reports/report-answers';
import { ReportsQueries } from '../src/modules/reports/reports.queries';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { Scenario } from './support/scenario';
import { stopCycleCron } from './support/scheduler';
import { waitUntil } from './support/smtp';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { RegencyCoverage } from '../src/modules/reports/coverage.service';
import type { AgencyReport } from '../src/modules/reports/agency-report.service';
import type { WeeklyReport } from '../src/modules/reports/reports.types';
import type { Coverage } from './support/answers';

/**
 * The keys whose answer `ReportAnswers.kept` built (its `produce` ran), in order: the real method,
 * watched. A request that finds its answer kept adds nothing.
 */
function watchBuilds(app: INestApplication): string[] {
  const built: string[] = [];
  const answers = app.get(ReportAnswers);
  const kept = answers.kept.bind(answers);
  jest.spyOn(answers, 'kept').mockImplementation((key, week, produce) =>
    kept(key, week, () => {
      built.push(key);
      return produce();
    }),
  );
  return built;
}

/**
 * The reports computed over every MPP (agencies, coverage, a province with its MPP rows) are kept per
 * data version once the week is evaluated: the same answer and ETag until the data moves, a 304 to
 * a client holding it, never another scope's answer, and a new answer as soon as a check-in, the
 * registry or a decision changes what it shows. Fixture in NTT (53) and Bali (51), week 2026-W48.
 */
describe('reports kept per data version (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T02:00:00Z')); // Friday of W48: the window is open
  let t: TestApp;
  let admin: string;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, { token: string }> = {};
  let bureauNtt: string;
  let bureauBali: string;
  let ministry: string;
  let built: string[];

  const get = <T>(url: string, token: string, headers: Record<string, string> = {}) => t.as(token).get<T>(url, { headers });
  const agencies = (token = ministry) => get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48&province=53', token);
  const disdukcapil = (body: AgencyReport) => body.agencies.find((a) => a.code === 'DISDUKCAPIL')!.hostingMpps;

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    built = watchBuilds(t.app);
    admin = await t.adminToken();
    for (const [key, regencyCode] of Object.entries({ kupang: '53.71', ende: '53.08', buleleng: '51.08' })) {
      mpp[key] = await createMpp(t, admin, { regencyCode });
      manager[key] = await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id] });
    }
    bureauNtt = (await createUser(t, admin, { role: 'bureau', provinceCode: '53' })).token;
    bureauBali = (await createUser(t, admin, { role: 'bureau', provinceCode: '51' })).token;
    ministry = (await createUser(t, admin, { role: 'ministry' })).token;
    for (const who of ['kupang', 'ende', 'buleleng']) {
      const res = await t.as(manager[who].token).put<CheckInView>(`/api/v1/mpps/${mpp[who].id}/check-ins/2026-W48`, checkInBody());
      expect(res.status).toBe(201);
    }
    clock.set('2026-11-30T05:30:00Z');
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('answers the same body and ETag until the data moves, privately, and 304 to a client holding it', async () => {
    for (const url of [
      '/api/v1/reports/agencies?week=2026-W48',
      '/api/v1/reports/coverage',
      '/api/v1/reports/weekly/2026-W48?province=53',
      '/api/v1/reports/weekly/2026-W48?province=53&limit=1&page=2',
    ]) {
      const first = await get(url, ministry);
      const again = await get(url, ministry);
      expect({ url, status: first.status, cache: first.headers['cache-control'] }).toEqual({
        url,
        status: 200,
        cache: 'private, no-cache',
      });
      expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.body).toEqual(first.body);
      const held = await get(url, ministry, { 'if-none-match': first.headers.etag as string });
      expect({ url, status: held.status, body: held.text }).toEqual({ url, status: 304, body: '' });
    }
    const rows = (await get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?province=53', ministry)).body;
    expect(rows.provinces[0].mpps?.map((m) => m.mppId).sort()).toEqual([mpp.kupang.id, mpp.ende.id].sort());
  });

  it("gives a bureau its own province's answer, the ministry's for that province, and never another province's", async () => {
    const forMinistry = await get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?province=53', ministry);
    const forBureau = await get<WeeklyReport>('/api/v1/reports/weekly/2026-W48', bureauNtt);
    expect(forBureau.body).toEqual(forMinistry.body);
    expect(forBureau.headers.etag).toBe(forMinistry.headers.etag);
    // NTT's answer is kept now; Bali's bureau asking for it is refused as before, by role scope.
    const refused = await get('/api/v1/reports/weekly/2026-W48?province=53', bureauBali, {
      'if-none-match': forMinistry.headers.etag as string,
    });
    expect([refused.status, refused.error?.error]).toEqual([404, 'not_found']);
    expect((await get('/api/v1/reports/coverage?province=53', bureauBali)).status).toBe(404);
    const bali = await agencies(bureauBali); // a bureau's province is its own whatever it asks
    expect(bali.body.provinceCode).toBe('51');
    expect(disdukcapil(bali.body)).toBe(1);
    expect(disdukcapil((await agencies()).body)).toBe(2);
  });

  it('moves the answer when a late check-in is revised, when a tenant leaves, and when a formation stage is recorded', async () => {
    const url = '/api/v1/reports/weekly/2026-W48?province=53';
    const before = await get<WeeklyReport>(url, ministry);
    const row = (body: WeeklyReport) => body.provinces[0].mpps!.find((m) => m.mppId === mpp.kupang.id)!;
    expect(row(before.body).visitors).toBe(1450);
    // A revision of an evaluated week re-evaluates it: the kept rows are not answered again.
    clock.set('2026-11-30T08:00:00Z');
    const revised = await t
      .as(manager.kupang.token)
      .put<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`, checkInBody({ visitors: 999 }));
    expect(revised.status).toBe(200); // a new revision of an existing check-in
    const after = await get<WeeklyReport>(url, ministry);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(row(after.body).visitors).toBe(999);

    // Ende's Disdukcapil leaves: the agencies report counts one NTT MPP hosting it.
    const report = await agencies();
    expect(disdukcapil(report.body)).toBe(2);
    const ende = await t.as(admin).patch<MppView>(`/api/v1/mpps/${mpp.ende.id}`, { tenants: [{ name: 'Polres', services: ['SKCK'] }] });
    expect(ende.status).toBe(200);
    const moved = await agencies();
    expect(moved.headers.etag).not.toBe(report.headers.etag);
    expect(disdukcapil(moved.body)).toBe(1);

    // The bureau records that a regency without an MPP has committed to one: coverage shows it at once.
    const coverage = await get<Coverage>('/api/v1/reports/coverage?province=53', bureauNtt);
    const stage = (body: Coverage) => body.regencies.find((r) => r.code === '53.05')!.stage;
    expect(stage(coverage.body)).toBe('none');
    const set = await t.as(bureauNtt).patch<RegencyCoverage>('/api/v1/regencies/53.05/formation', { stage: 'committed' });
    expect(set.status).toBe(200);
    const recorded = await get<Coverage>('/api/v1/reports/coverage?province=53', bureauNtt);
    expect(recorded.headers.etag).not.toBe(coverage.headers.etag);
    expect(stage(recorded.body)).toBe('committed');
  });

  it('computes a week not yet evaluated for each request, keeping nothing', async () => {
    clock.set('2026-12-04T02:00:00Z'); // Friday of W49
    const url = '/api/v1/reports/agencies?week=2026-W49&province=53';
    const open = (body: AgencyReport) => body.agencies.find((a) => a.code === 'POLRI')!.hostingMppsOpen;
    const before = await get<AgencyReport>(url, ministry);
    expect([before.status, before.headers['cache-control'], before.headers.etag]).toEqual([200, 'no-store', undefined]);
    expect(open(before.body)).toBe(0);
    const put = await t.as(manager.kupang.token).put<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W49`, checkInBody());
    expect(put.status).toBe(201);
    expect(open((await get<AgencyReport>(url, ministry)).body)).toBe(1);
  });

  it('keeps the figures of the bureau page and the national page: a second request builds nothing; a revised check-in builds them again', async () => {
    /** A page as the holder of `token` opens it, and the kept answers that request built. */
    const open = async (path: string, token: string) => {
      const from = built.length;
      const res = await t.as().get(path, { headers: { cookie: `mpp_session=${token}` } });
      expect([path, res.status]).toEqual([path, 200]);
      return { html: res.text, built: built.slice(from) };
    };
    const revise = async (at: string, patch: Record<string, unknown>) => {
      // A revision of the evaluated W48 re-evaluates it: the data version moves (at a later instant than the last).
      clock.set(at);
      const res = await t.as(manager.kupang.token).put<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`, checkInBody(patch));
      expect(res.status).toBe(200);
    };
    // The bureau page keeps its province's rows and, apart, its cases (the unresolved flags) and
    // their overdue actions (as of the province's date). Built concurrently, in either order: compared sorted.
    const bureauKeys = ['bureau-cases|53', 'bureau-overdue|53|2026-12-01', expect.stringMatching(/^province-week\|53\|2026-W48\|/)];
    const nationalKey = 'national-page|2026-W48|all';

    // Tuesday of W49: the bureau's live week is W48 (evaluated, open to corrections), the national page's too.
    await revise('2026-12-01T02:00:00Z', { visitors: 1234 });
    const bureau = await open('/bureau', bureauNtt);
    expect([...bureau.built].sort()).toEqual(bureauKeys);
    const national = await open('/national', ministry);
    expect(national.built).toEqual([nationalKey]);
    expect(bureau.html).not.toContain('class="result inactive"');

    const bureauAgain = await open('/bureau', bureauNtt);
    const nationalAgain = await open('/national', ministry);
    expect([bureauAgain.built, nationalAgain.built]).toEqual([[], []]);
    expect(bureauAgain.html).toContain('<table id="bureau-mpps">');

    // Kupang reports W48 again, closed: W48 is re-evaluated, both pages build their figures anew and show it.
    await revise('2026-12-01T02:05:00Z', {
      daysOpen: 0,
      tenantsServing: 0,
      visitors: 0,
      transactions: 0,
      status: 'not_operating',
      closureReason: 'Gedung rusak',
    });
    const bureauMoved = await open('/bureau', bureauNtt);
    const nationalMoved = await open('/national', ministry);
    expect([[...bureauMoved.built].sort(), nationalMoved.built]).toEqual([bureauKeys, [nationalKey]]);
    expect(bureauMoved.html).toContain('class="result inactive"');
  });

  it("moves the data version at the commit of a flag's change, even one stamped earlier than the newest (a transaction that started first)", async () => {
    const queries = t.app.get(ReportsQueries);
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM flags`);
    expect(n).toBeGreaterThan(0);
    const before = await queries.dataVersion('2026-W48');
    expect(before).not.toBeNull();
    // A change whose stamp does not pass the newest (as a transaction that started first and
    // committed last would write): its response deadline moves, updated_at stays.
    await db.query(`UPDATE flags SET respond_by = coalesce(respond_by, now()) + interval '1 day', updated_at = updated_at`);
    const after = await queries.dataVersion('2026-W48');
    expect(after).not.toBe(before);
    // Nothing written: the version stays.
    expect(await queries.dataVersion('2026-W48')).toBe(after);
  });
});

/**
 * The version of a kept answer moves with `flags.updated_at`: sending the bureau's escalation sets
 * each flag's first-emailed and respond-by times, and must move it too, or the bureau page keeps
 * showing the flag without its response deadline.
 */
describe('an escalation sent moves the kept bureau page (e2e)', () => {
  let sc: Scenario;

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-27T02:00:00Z', mail: true }); // Friday of W48
  }, 60_000);
  afterAll(() => sc?.close());

  it("sending the bureau's escalation moves flags.updated_at, so the kept bureau page shows the flag's response deadline", async () => {
    const built = watchBuilds(sc.t.app);
    const mpp = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await sc.manager(mpp);
    const bureau = await sc.bureau('53', { email: 'biro.ntt@mpp.test' });
    const closed = { daysOpen: 0, tenantsServing: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Banjir' };
    expect((await sc.checkIn(manager, mpp.id, '2026-W48', closed)).status).toBe(201);
    await sc.settled(); // the manager's receipt

    // The evaluation flags Kupang; its escalation email waits at the SMTP server, not yet sent.
    sc.smtp.script.push('hold');
    await sc.evaluateAt('2026-W48', '2026-11-30T05:30:00Z');
    await waitUntil(
      () => sc.smtp.holding === 1,
      20_000,
      () => "the bureau's escalation to reach the SMTP server",
    );
    const [flag] = await sc.flagsOf(mpp.id);
    expect(flag).toMatchObject({ state: 'open', respondBy: null, updatedAt: '2026-11-30T05:30:00.000Z' });
    const open = async () => {
      const from = built.length;
      const res = await sc.as().get('/bureau', { headers: { cookie: `mpp_session=${bureau.token}` } });
      expect(res.status).toBe(200);
      return { html: res.text, built: built.slice(from).length };
    };
    const unsent = await open();
    expect(unsent.html).toContain(`href="/flags/${flag.id}"`);
    expect(unsent.html).not.toContain('Mohon ditanggapi paling lambat');
    expect((await open()).built).toBe(0); // kept

    // Half an hour later the email goes through (the held attempt fails, the retry is accepted).
    sc.clock.set('2026-11-30T06:00:00Z');
    sc.smtp.release();
    await sc.settled();
    expect(sc.mailTo('biro.ntt@mpp.test')).toHaveLength(1);
    expect(await sc.t.sql(`SELECT first_emailed_at, updated_at FROM flags WHERE id = $1`, [flag.id])).toEqual([
      { first_emailed_at: new Date('2026-11-30T06:00:00Z'), updated_at: new Date('2026-11-30T06:00:00Z') },
    ]);
    const sent = await open();
    expect(sent.built).toBe(3); // the province's rows, its cases and their overdue actions
    expect(sent.html).toContain('Mohon ditanggapi paling lambat');
  });
});
