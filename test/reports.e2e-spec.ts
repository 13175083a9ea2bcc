import Papa from 'papaparse';
import readExcelFile from 'read-excel-file/node';
import { unzipSync, strFromU8 } from 'fflate';
import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import type { FlagView } from '../src/modules/flags/flags.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { RegencyCoverage } from '../src/modules/reports/coverage.service';
import type { TrendPoint, WeeklyReport } from '../src/modules/reports/reports.types';
import type { Coverage, MppHistoryWeek } from './support/answers';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { ClosureView } from '../src/modules/mpps/closures.dto';

/**
 * Reports checked against figures computed by hand for a small fixture: NTT with an on-time, a
 * late, a silent, an excused and a not-yet-inaugurated MPP; Bali with one that stopped operating.
 * Weeks 2026-W48 and 2026-W52 (24 and 25 December are cuti bersama and Christmas).
 */
describe('reports: weekly, trend, coverage, history, exports (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));
  let t: TestApp;
  let admin: string;
  let scheduler: CyclesScheduler;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, { token: string }> = {};
  let bureauNtt: { token: string };
  let ministry: { token: string };

  const checkIn = async (who: string, week: string, patch: Record<string, unknown> = {}) => {
    const res = await t.as(manager[who].token).put<CheckInView>(`/api/v1/mpps/${mpp[who].id}/check-ins/${week}`, checkInBody(patch));
    expect(res.status).toBe(201);
  };
  const counts = (c: Partial<Record<string, number>>) => ({
    active: 0,
    at_risk: 0,
    inactive: 0,
    not_reporting: 0,
    excused: 0,
    not_expected: 0,
    ...c,
  });

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    scheduler = t.app.get(CyclesScheduler);
    admin = await t.adminToken();
    const fixture: Record<string, [string, string, string?]> = {
      kupang: ['53.71', 'MPP Kota Kupang'],
      manggarai: ['53.19', 'MPP Kabupaten Manggarai Timur'],
      sumba: ['53.10', 'MPP Kabupaten Sumba Timur'],
      ende: ['53.08', 'MPP Kabupaten Ende'],
      flores: ['53.09', 'MPP Kabupaten Flores Timur', '2027-01-15'], // not inaugurated yet
      buleleng: ['51.08', 'MPP Kabupaten Buleleng'],
    };
    for (const [key, [regencyCode, name, inauguratedOn]] of Object.entries(fixture)) {
      mpp[key] = await createMpp(t, admin, { regencyCode, name, ...(inauguratedOn ? { inauguratedOn } : {}) });
      manager[key] = await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id] });
    }
    bureauNtt = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    ministry = await createUser(t, admin, { role: 'ministry' });
    // Ende is closed the whole of W48 (renovation): excused.
    const closure = await t.as(admin).post<ClosureView>(`/api/v1/mpps/${mpp.ende.id}/closures`, {
      from: '2026-11-23',
      to: '2026-11-29',
      reason: 'Renovasi gedung',
      kind: 'renovation',
    });
    expect(closure.status).toBe(201);

    clock.set('2026-11-28T02:00:00Z');
    await checkIn('kupang', '2026-W48');
    await checkIn('buleleng', '2026-W48', {
      daysOpen: 0,
      tenantsServing: 0,
      visitors: 0,
      transactions: 0,
      status: 'not_operating',
      closureReason: 'Banjir',
    });
    clock.set('2026-11-30T04:30:00Z'); // after the WITA deadline (04:00Z), before the evaluation
    await checkIn('manggarai', '2026-W48');
    clock.set('2026-11-30T05:10:00Z');
    expect(await scheduler.tick()).toBe(1);

    // W49–W51: Kupang, Manggarai and Buleleng report on time; Sumba and Ende never do.
    for (const [week, saturday, monday] of [
      ['2026-W49', '2026-12-05', '2026-12-07'],
      ['2026-W50', '2026-12-12', '2026-12-14'],
      ['2026-W51', '2026-12-19', '2026-12-21'],
    ]) {
      clock.set(`${saturday}T02:00:00Z`);
      for (const who of ['kupang', 'manggarai', 'buleleng']) await checkIn(who, week);
      clock.set(`${monday}T05:10:00Z`);
      expect(await scheduler.tick()).toBe(1);
    }
    clock.set('2026-12-26T02:00:00Z'); // W52: Monday to Wednesday open, 24 and 25 December off
    for (const who of ['kupang', 'manggarai', 'buleleng']) await checkIn(who, '2026-W52', { daysOpen: 3 });
    clock.set('2026-12-28T05:10:00Z');
    expect(await scheduler.tick()).toBe(1);
  });

  afterAll(() => t?.close());

  it('weekly report for the ministry: hand-computed national and provincial figures', async () => {
    const res = await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48');
    expect(res.status).toBe(200);
    const { national, provinces } = res.body;
    expect(national).toEqual({
      expected: 4,
      reported: 3,
      onTime: 2,
      reportingRate: 0.75,
      onTimeRate: 0.5,
      counts: counts({ active: 2, not_reporting: 1, excused: 1, inactive: 1 }),
      openFlags: 1,
      flagsOlderThan2Weeks: 0,
      disputed: 0,
      citizenReports: 0,
    });
    expect(provinces.map((p) => [p.provinceCode, p.name])).toEqual([
      ['51', 'BALI'],
      ['53', 'NUSA TENGGARA TIMUR'],
    ]);
    expect(provinces[1]).toMatchObject({
      expected: 3,
      reported: 2,
      onTime: 1,
      reportingRate: 2 / 3,
      onTimeRate: 1 / 3,
      counts: counts({ active: 2, not_reporting: 1, excused: 1 }),
      openFlags: 0,
    });
    expect(provinces[0]).toMatchObject({ expected: 1, reported: 1, onTime: 1, counts: counts({ inactive: 1 }), openFlags: 1 });
    expect(provinces[0].mpps).toBeUndefined();

    const detail = await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?detail=mpps');
    const ntt = detail.body.provinces[1].mpps ?? [];
    expect(ntt.map((m) => [m.name, m.result, m.reported, m.onTime, m.late])).toEqual([
      ['MPP Kabupaten Ende', 'excused', false, false, null],
      ['MPP Kabupaten Manggarai Timur', 'active', true, false, true],
      ['MPP Kabupaten Sumba Timur', 'not_reporting', false, false, null],
      ['MPP Kota Kupang', 'active', true, true, false],
    ]);
    expect(detail.body.provinces[0].mpps?.[0]).toMatchObject({
      name: 'MPP Kabupaten Buleleng',
      result: 'inactive',
      flagState: 'open',
      rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'],
    });
  });

  it('a week with national holidays expects fewer days: three days open is active, not at risk', async () => {
    const res = await t.as(admin).get<WeeklyReport>('/api/v1/reports/weekly/2026-W52?detail=mpps');
    // Sumba (flagged W49) and Ende (flagged W50) are inactive; Buleleng's flag from W48 is still open.
    expect(res.body.national).toEqual({
      expected: 5,
      reported: 3,
      onTime: 3,
      reportingRate: 0.6,
      onTimeRate: 0.6,
      counts: counts({ active: 3, inactive: 2 }),
      openFlags: 3,
      flagsOlderThan2Weeks: 2,
      disputed: 0,
      citizenReports: 0,
    });
    const kupang = res.body.provinces[1].mpps?.find((m) => m.name === 'MPP Kota Kupang');
    expect(kupang).toMatchObject({ result: 'active', expectedDays: 3, daysOpen: 3 });
    const open = await t.as(admin).get<WeeklyReport>('/api/v1/reports/weekly/2026-W53'); // the week now running
    expect(open.status).toBe(404);
    expect(open.error?.message).toContain('not been evaluated');
  });

  it('trend: the same figures per evaluated week, oldest first', async () => {
    const res = await t.as(ministry.token).get<TrendPoint[]>('/api/v1/reports/trend?weeks=12');
    expect(res.status).toBe(200);
    expect(res.body.map((p) => [p.week, p.expected, p.reported, p.reportingRate, p.counts.inactive])).toEqual([
      ['2026-W48', 4, 3, 0.75, 1],
      ['2026-W49', 5, 3, 0.6, 1], // Ende's closure is over; Sumba's second silent week makes it inactive
      ['2026-W50', 5, 3, 0.6, 2],
      ['2026-W51', 5, 3, 0.6, 2],
      ['2026-W52', 5, 3, 0.6, 2],
    ]);
    const ntt = await t.as(ministry.token).get<TrendPoint[]>('/api/v1/reports/trend?weeks=1&province=53');
    expect(ntt.body).toEqual([
      expect.objectContaining({ week: '2026-W52', expected: 4, reported: 2, onTime: 2, counts: counts({ active: 2, inactive: 2 }) }),
    ]);
    expect((await t.as(admin).get<TrendPoint[]>('/api/v1/reports/trend?weeks=0')).status).toBe(400);
  });

  it('scoping: a bureau sees its province only, a manager only its MPP', async () => {
    const own = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48');
    expect(own.body.provinces.map((p) => p.provinceCode)).toEqual(['53']);
    expect(own.body.national).toMatchObject({ expected: 3, reported: 2 });
    expect(own.body.provinces[0].mpps).toHaveLength(4);
    expect((await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?province=51')).status).toBe(404);
    expect((await t.as(bureauNtt.token).get<TrendPoint[]>('/api/v1/reports/trend?province=51')).status).toBe(404);

    const mine = await t.as(manager.manggarai.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48');
    expect(mine.body.national).toMatchObject({ expected: 1, reported: 1, onTime: 0, reportingRate: 1, onTimeRate: 0 });
    expect(mine.body.provinces[0].mpps?.map((m) => m.name)).toEqual(['MPP Kabupaten Manggarai Timur']);
    const trend = await t.as(manager.manggarai.token).get<TrendPoint[]>('/api/v1/reports/trend');
    expect(trend.body.map((p) => [p.week, p.expected, p.onTime])).toEqual([
      ['2026-W48', 1, 0],
      ['2026-W49', 1, 1],
      ['2026-W50', 1, 1],
      ['2026-W51', 1, 1],
      ['2026-W52', 1, 1],
    ]);
  });

  it('paging the MPP rows (?limit=&page=): worst first, the figures whole, in scope; bad paging is a 400', async () => {
    const names = (body: WeeklyReport) => body.provinces.flatMap((p) => (p.mpps ?? []).map((m) => [m.name, m.result]));
    const first = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?limit=2');
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual([
      ['MPP Kabupaten Sumba Timur', 'not_reporting'],
      ['MPP Kabupaten Manggarai Timur', 'active'],
    ]);
    expect(first.body.mppPage).toEqual({ page: 1, limit: 2, total: 4, pages: 2 });
    expect(first.body.national).toMatchObject({ expected: 3, reported: 2, counts: counts({ active: 2, not_reporting: 1, excused: 1 }) });
    const second = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?limit=2&page=2');
    expect(names(second.body)).toEqual([
      ['MPP Kota Kupang', 'active'],
      ['MPP Kabupaten Ende', 'excused'],
    ]);
    // A page past the end shows the last one (a stale link still shows rows).
    const past = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?limit=2&page=9');
    expect(past.body.mppPage).toEqual({ page: 2, limit: 2, total: 4, pages: 2 });
    expect(names(past.body)).toEqual(names(second.body));

    // Nationally, worst first across provinces; each row stays under its own province.
    const national = await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?detail=mpps&limit=2');
    expect(national.body.provinces.map((p) => [p.provinceCode, p.mpps?.map((m) => m.name)])).toEqual([
      ['51', ['MPP Kabupaten Buleleng']],
      ['53', ['MPP Kabupaten Sumba Timur']],
    ]);
    expect(national.body.mppPage).toEqual({ page: 1, limit: 2, total: 5, pages: 3 });

    const mine = await t.as(manager.manggarai.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?limit=5');
    expect(names(mine.body)).toEqual([['MPP Kabupaten Manggarai Timur', 'active']]);
    expect(mine.body.mppPage).toEqual({ page: 1, limit: 5, total: 1, pages: 1 });

    const whole = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48');
    expect(whole.body.mppPage).toBeUndefined();
    expect((await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?province=51&limit=2')).status).toBe(404);
    for (const bad of ['limit=0', 'limit=1001', 'limit=2&page=0', 'limit=abc']) {
      const res = await t.as(bureauNtt.token).get<WeeklyReport>(`/api/v1/reports/weekly/2026-W48?${bad}`);
      expect([res.status, res.error?.error]).toEqual([400, 'validation_failed']);
    }
  });

  it('the registry and flag lists page with ?limit=&page= (still an array, X-Total-Count the whole length), in scope', async () => {
    const page = async (path: string, token: string) => {
      const res = await t.as(token).get<(MppView | FlagView)[]>(path);
      expect(res.status).toBe(200);
      return { names: res.body.map((r) => ('mppName' in r ? r.mppName : r.name)), total: res.headers['x-total-count'] };
    };
    expect(await page('/api/v1/mpps?limit=2&page=2', bureauNtt.token)).toEqual({
      names: ['MPP Kabupaten Sumba Timur', 'MPP Kabupaten Manggarai Timur'],
      total: '5',
    });
    expect(await page('/api/v1/mpps?limit=2&page=9', bureauNtt.token)).toEqual({ names: ['MPP Kota Kupang'], total: '5' });
    expect(await page('/api/v1/mpps?limit=2', ministry.token)).toEqual({
      names: ['MPP Kabupaten Buleleng', 'MPP Kabupaten Ende'],
      total: '6',
    });
    expect(await page('/api/v1/mpps', bureauNtt.token)).toMatchObject({ total: '5' }); // unpaged: every row, as before
    expect((await page('/api/v1/mpps', bureauNtt.token)).names).toHaveLength(5);
    expect(await page('/api/v1/mpps?limit=10', manager.sumba.token)).toEqual({ names: ['MPP Kabupaten Sumba Timur'], total: '1' });

    // Sumba (flagged W49) before Ende (W50); Buleleng's flag is Bali's.
    expect(await page('/api/v1/flags?state=unresolved&limit=1', bureauNtt.token)).toEqual({
      names: ['MPP Kabupaten Sumba Timur'],
      total: '2',
    });
    expect(await page('/api/v1/flags?state=unresolved&limit=1&page=2', bureauNtt.token)).toEqual({
      names: ['MPP Kabupaten Ende'],
      total: '2',
    });
    expect(await page('/api/v1/flags?state=unresolved&limit=5', ministry.token)).toMatchObject({ total: '3' });
    expect(await page('/api/v1/flags?limit=5', manager.kupang.token)).toEqual({ names: [], total: '0' });
    for (const path of ['/api/v1/mpps?limit=0', '/api/v1/flags?limit=1001', '/api/v1/flags?limit=1&page=-1']) {
      const res = await t.as(bureauNtt.token).get(path);
      expect([res.status, res.error?.error]).toEqual([400, 'validation_failed']);
    }
  });

  it("CSV parsed back matches the API, in the reader's language", async () => {
    const json = (await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48')).body;
    const res = await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="mpp-laporan-mingguan-2026-W48-nasional.csv"');
    const rows = Papa.parse<string[]>(res.text.replace(/^\ufeff/, '').trim()).data;
    expect(rows[0].slice(0, 7)).toEqual([
      'Kode provinsi',
      'Provinsi',
      'MPP wajib lapor',
      'Melapor',
      'Tepat waktu',
      'Tingkat pelaporan',
      'Tingkat tepat waktu',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['51', '53', '']);
    const nttRow = rows[2];
    const ntt = json.provinces[1];
    expect(nttRow.map(Number).slice(2)).toEqual([
      ntt.expected,
      ntt.reported,
      ntt.onTime,
      ntt.reportingRate,
      ntt.onTimeRate,
      ntt.counts.active,
      ntt.counts.at_risk,
      ntt.counts.inactive,
      ntt.counts.not_reporting,
      ntt.counts.excused,
      ntt.counts.not_expected,
      ntt.openFlags,
      ntt.flagsOlderThan2Weeks,
      ntt.disputed,
      ntt.citizenReports,
    ]);
    expect(rows[3].slice(1, 4)).toEqual(['NASIONAL', '4', '3']);

    const detail = await t.as(bureauNtt.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?format=csv&detail=mpps');
    expect(detail.headers['content-disposition']).toBe('attachment; filename="mpp-laporan-mingguan-2026-W48-53-mpp.csv"');
    const mppRows = Papa.parse<Record<string, string>>(detail.text.replace(/^\ufeff/, '').trim(), { header: true }).data;
    expect(mppRows.map((r) => [r.MPP, r.Hasil, r.Melapor, r['Tepat waktu']])).toEqual([
      ['MPP Kabupaten Ende', 'Dikecualikan (libur/tutup terencana)', 'Tidak', 'Tidak'],
      ['MPP Kabupaten Manggarai Timur', 'Aktif', 'Ya', 'Tidak'],
      ['MPP Kabupaten Sumba Timur', 'Tidak melapor', 'Tidak', 'Tidak'],
      ['MPP Kota Kupang', 'Aktif', 'Ya', 'Ya'],
    ]);
    expect(mppRows[3]).toMatchObject({
      Provinsi: 'Nusa Tenggara Timur',
      'Kabupaten/Kota': 'Kota Kupang',
      Pengunjung: '1450',
      Transaksi: '1730',
    });
  });

  it('XLSX: a real spreadsheet (header row, frozen panes, number formats) that matches the API', async () => {
    const json = (await t.as(ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48?detail=mpps')).body;
    const res = await t.as(ministry.token).get('/api/v1/reports/weekly/2026-W48?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="mpp-laporan-mingguan-2026-W48-nasional.xlsx"');
    const file = res.raw;
    const sheets = await readExcelFile(file);
    expect(sheets.map((s) => s.sheet)).toEqual(['Provinsi', 'MPP']);
    const provinces = sheets[0].data;
    expect(provinces[0][0]).toBe('Kode provinsi');
    expect(provinces.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ['51', 'Bali', 1, 1, 1, 1],
      ['53', 'Nusa Tenggara Timur', 3, 2, 1, 2 / 3],
      [null, 'NASIONAL', json.national.expected, json.national.reported, json.national.onTime, json.national.reportingRate],
    ]);
    const mpps = sheets[1].data;
    expect(mpps).toHaveLength(1 + 5);
    expect(
      mpps
        .slice(1)
        .map((r) => r[4])
        .sort(),
    ).toEqual(json.provinces.flatMap((p) => (p.mpps ?? []).map((m) => m.name)).sort());
    // Frozen header row and name columns, and number formats, as Excel stores them.
    const zip = unzipSync(new Uint8Array(file));
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const pane = strFromU8(zip[name]).match(/<pane [^>]*\/>/)?.[0] ?? '';
      expect(pane).toContain('xSplit="2"');
      expect(pane).toContain('ySplit="1"');
      expect(pane).toContain('state="frozen"');
    }
    const styles = strFromU8(zip['xl/styles.xml']);
    expect(styles).toContain('formatCode="0.0%"');
    expect(styles).toContain('formatCode="#,##0"');
  });

  it('coverage toward 508: operating, inactive and preparing from the registry; formation stages recorded by the bureau, audited', async () => {
    const national = await t.as(ministry.token).get<Coverage>('/api/v1/reports/coverage');
    expect(national.status).toBe(200);
    expect(national.body.week).toBe('2026-W52');
    // The ministry's 508: DKI Jakarta's six administrative units are one line of their own (issue 15).
    expect(national.body.national).toEqual({
      regencies: 508,
      withMpp: 6,
      none: 502,
      committed: 0,
      preparing: 1,
      operating: 3,
      inactive: 2,
      closed: 0, // issue 15: regencies whose every MPP was retired
      target: 508,
      rate: 6 / 508,
    });
    expect(national.body.dki).toEqual({ code: '31', name: 'DKI JAKARTA', stage: 'none', mpps: 0 });
    expect(national.body.regencies).toHaveLength(514);
    const byCode = Object.fromEntries(national.body.regencies.map((r) => [r.code, r]));
    expect(byCode['53.09']).toMatchObject({ stage: 'preparing', mppName: 'MPP Kabupaten Flores Timur' });
    expect(byCode['53.71']).toMatchObject({ stage: 'operating', mppId: mpp.kupang.id });
    expect(byCode['51.08'].stage).toBe('operating'); // W52: Buleleng reports normal again (its flag is still open)
    expect(byCode['53.10'].stage).toBe('inactive');

    const set = await t.as(bureauNtt.token).patch<RegencyCoverage>('/api/v1/regencies/53.05/formation', {
      stage: 'committed',
      date: '2026-10-01',
      note: 'Bupati menandatangani komitmen',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ code: '53.05', stage: 'committed', formationStage: 'committed', stageDate: '2026-10-01' });
    expect((await t.as(bureauNtt.token).patch<RegencyCoverage>('/api/v1/regencies/51.01/formation', { stage: 'committed' })).status).toBe(
      404,
    );
    expect(
      (await t.as(manager.kupang.token).patch<RegencyCoverage>('/api/v1/regencies/53.05/formation', { stage: 'committed' })).status,
    ).toBe(403);
    expect((await t.as(bureauNtt.token).patch<RegencyCoverage>('/api/v1/regencies/53.05/formation', { stage: 'operating' })).status).toBe(
      400,
    );
    expect(
      (await t.as(bureauNtt.token).patch<RegencyCoverage>('/api/v1/regencies/53.05/formation', { stage: 'preparing', date: '2026-02-30' }))
        .status,
    ).toBe(400);
    expect((await t.as(admin).patch<RegencyCoverage>('/api/v1/regencies/99.99/formation', { stage: 'preparing' })).status).toBe(404);

    const ntt = await t.as(bureauNtt.token).get<Coverage>('/api/v1/reports/coverage');
    const nttRegencies = (await t.sql(`SELECT count(*)::int AS n FROM regencies WHERE province_code = '53'`))[0].n;
    expect(ntt.body.provinces.map((p) => p.provinceCode)).toEqual(['53']);
    expect(ntt.body.national).toMatchObject({ regencies: nttRegencies, withMpp: 5, committed: 1, preparing: 1, operating: 2, inactive: 2 });
    expect((await t.as(bureauNtt.token).get<Coverage>('/api/v1/reports/coverage?province=51')).status).toBe(404);

    const audit = await t.sql(`SELECT role, action, entity, entity_id, before, after FROM audit_log WHERE entity = 'regency'`);
    expect(audit).toEqual([
      {
        role: 'bureau',
        action: 'regency.formation.set',
        entity: 'regency',
        entity_id: '53.05',
        before: null,
        after: { stage: 'committed', date: '2026-10-01', note: 'Bupati menandatangani komitmen' },
      },
    ]);
    await expect(t.sql(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('MPP history: weekly result, key figures and flag events, oldest first, scoped', async () => {
    const res = await t.as(ministry.token).get<MppHistoryWeek[]>(`/api/v1/mpps/${mpp.buleleng.id}/history?weeks=26`);
    expect(res.status).toBe(200);
    const byWeek = Object.fromEntries(res.body.map((w) => [w.week, w]));
    expect(res.body[0].week < res.body[res.body.length - 1].week).toBe(true);
    expect(byWeek['2026-W48']).toMatchObject({
      result: 'inactive',
      daysOpen: 0,
      visitors: 0,
      rules: ['self_reported_not_operating', 'zero_days_open', 'zero_activity'],
    });
    expect(byWeek['2026-W52']).toMatchObject({ result: 'active', daysOpen: 3, visitors: 1450, transactions: 1730, flagState: 'open' });
    expect(byWeek['2026-W49']).toMatchObject({
      result: 'active',
      flagState: 'open',
      flagEvents: [expect.objectContaining({ to: 'open', by: expect.any(String) })],
    });
    expect((await t.as(manager.kupang.token).get<MppHistoryWeek[]>(`/api/v1/mpps/${mpp.buleleng.id}/history`)).status).toBe(404);
    expect((await t.as(bureauNtt.token).get<MppHistoryWeek[]>(`/api/v1/mpps/${mpp.buleleng.id}/history`)).status).toBe(404);
    expect((await t.as(manager.kupang.token).get<MppHistoryWeek[]>(`/api/v1/mpps/${mpp.kupang.id}/history?weeks=2`)).body).toHaveLength(2);
  });
});
