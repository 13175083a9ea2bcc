import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { RegencyCoverage } from '../src/modules/reports/coverage.service';
import type { AgencyReport } from '../src/modules/reports/agency-report.service';
import type { WeeklyReport } from '../src/modules/reports/reports.types';
import type { Coverage } from './support/answers';

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

  const get = <T>(url: string, token: string, headers: Record<string, string> = {}) => t.as(token).get<T>(url, { headers });
  const agencies = (token = ministry) => get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48&province=53', token);
  const disdukcapil = (body: AgencyReport) => body.agencies.find((a) => a.code === 'DISDUKCAPIL')!.hostingMpps;

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
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
});
