import { DataSource } from 'typeorm';
import { AlignFlagProvinces1764303800000 } from '../src/database/migrations/1764303800000-AlignFlagProvinces';
import type { FlagView } from '../src/modules/flags/flags.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';

/**
 * The bureau page's case list and overdue actions, and the national page's longest-open cases,
 * are kept per data version (issue 19): every change a reader must see moves that version —
 * a ministry's action that moves no state, a case resolved — and the local date moves what is
 * overdue. Each step reads the page again after the change and expects the change.
 */
describe('pages kept per data version follow every change (e2e)', () => {
  let sc: Scenario;
  let bureau: SignedInUser;
  let ministry: SignedInUser;
  let flag: FlagView;

  const page = async (user: SignedInUser, path: string): Promise<string> => {
    const res = await sc.as().get<string>(path, { headers: { cookie: `mpp_session=${user.token}` } });
    expect(res.status).toBe(200);
    return res.text;
  };
  /** The bureau page's "overdue follow-up" section, as text (empty when nothing is overdue). */
  const overdue = (html: string) => /<div class="card" id="overdue-actions">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-25T02:00:00Z' }); // Wednesday of W48
    const kupang = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await sc.manager(kupang);
    bureau = await sc.bureau('53');
    ministry = await sc.user({ role: 'ministry' });
    sc.clock.set('2026-11-27T02:00:00Z'); // Friday of W48: the check-in window is open
    const res = await sc.checkIn(manager, kupang.id, '2026-W48', {
      daysOpen: 0,
      tenantsServing: 0,
      visitors: 0,
      transactions: 0,
      status: 'not_operating',
      closureReason: 'Gedung rusak akibat banjir',
    });
    expect(res.status).toBe(201);
    await sc.evaluateAt('2026-W48', '2026-11-30T05:10:00Z');
    [flag] = await sc.flagsOf(kupang.id);
    expect(flag).toMatchObject({ state: 'open', mppName: 'MPP Kota Kupang' });
  }, 60_000);

  afterAll(() => sc?.close());

  it('an action, the date passing its target, a second action and the case resolved each show at once', async () => {
    // Read first, so the page's cases are kept before each change.
    let html = await page(bureau, '/bureau');
    expect(html).toContain('MPP Kota Kupang');
    expect(overdue(html)).not.toContain('MPP Kota Kupang');
    expect(await page(ministry, '/national')).toContain('MPP Kota Kupang');

    // The ministry records an action: it moves no state, yet the case changed.
    sc.clock.set('2026-12-01T02:00:00Z');
    const action = await sc.as(ministry.token).post(`/api/v1/flags/${flag.id}/actions`, {
      kind: 'phone_clarification',
      note: 'Menelepon Sekda',
      targetDate: '2026-12-02',
    });
    expect(action.status).toBe(201);
    expect((await sc.as(ministry.token).get<FlagView>(`/api/v1/flags/${flag.id}`)).body.state).toBe('open');
    html = await page(bureau, '/bureau');
    expect(overdue(html)).not.toContain('MPP Kota Kupang'); // due tomorrow (WITA)

    // Two days on (Kupang's local date), the target has passed with nothing recorded since.
    sc.clock.set('2026-12-03T02:00:00Z');
    html = await page(bureau, '/bureau');
    expect(overdue(html)).toContain('MPP Kota Kupang');

    // A later action answers it: nothing overdue any more (same local date, so only the version moved).
    sc.clock.set('2026-12-03T03:00:00Z');
    const later = await sc.as(ministry.token).post(`/api/v1/flags/${flag.id}/actions`, {
      kind: 'field_visit',
      note: 'Kunjungan lapangan dijadwalkan',
      targetDate: '2026-12-10',
    });
    expect(later.status).toBe(201);
    html = await page(bureau, '/bureau');
    expect(overdue(html)).not.toContain('MPP Kota Kupang');

    // The bureau resolves the case: it leaves the bureau's list and the ministry's longest-open list.
    sc.clock.set('2026-12-03T04:00:00Z');
    for (const to of ['acknowledged', 'resolved']) {
      const moved = await sc.as(bureau.token).post(`/api/v1/flags/${flag.id}/transitions`, { to, note: 'Sudah beroperasi kembali' });
      expect([200, 201]).toContain(moved.status);
    }
    html = await page(bureau, '/bureau');
    expect(html).not.toContain(`/flags/${flag.id}`);
    expect(await page(ministry, '/national')).not.toContain('MPP Kota Kupang');
  });
});

/**
 * Flags are listed by their own province (an index) and by their MPP's current province: a flag
 * left in the province its MPP left (a move racing an evaluation, or data from before flags
 * followed their MPP) is never shown to that province's bureau, and the next edit of the MPP's
 * regency, or the AlignFlagProvinces migration, puts it back where its MPP is.
 */
describe("a flag left behind in its MPP's old province (e2e)", () => {
  let sc: Scenario;

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-27T02:00:00Z' }); // Friday of W48
  }, 60_000);
  afterAll(() => sc?.close());

  it('is shown to neither bureau by its stale province, and is put back by the migration and by the next regency edit', async () => {
    const kupang = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await sc.manager(kupang);
    const ntt = await sc.bureau('53');
    const bali = await sc.bureau('51');
    const closed = { daysOpen: 0, tenantsServing: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Banjir' };
    expect((await sc.checkIn(manager, kupang.id, '2026-W48', closed)).status).toBe(201);
    await sc.evaluateAt('2026-W48', '2026-11-30T05:10:00Z');
    const [flag] = await sc.flagsOf(kupang.id);
    const listed = async (bureau: SignedInUser) =>
      (await sc.as(bureau.token).get<FlagView[]>('/api/v1/flags?state=unresolved')).body.map((f) => f.id);
    expect([await listed(ntt), await listed(bali)]).toEqual([[flag.id], []]);

    const strand = () => sc.t.sql(`UPDATE flags SET province_code = '51' WHERE id = $1`, [flag.id]);
    await strand();
    expect(await listed(bali)).toEqual([]); // Bali's bureau never sees an NTT MPP's case
    const baliPage = await sc.as().get<string>('/bureau', { headers: { cookie: `mpp_session=${bali.token}` } });
    expect(baliPage.status).toBe(200);
    expect(baliPage.text).not.toContain('MPP Kota Kupang');

    const runner = sc.t.app.get(DataSource).createQueryRunner();
    try {
      await new AlignFlagProvinces1764303800000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await listed(ntt)).toEqual([flag.id]);

    // Stranded again; an admin's edit naming the same regency puts it back (the move is not only on a change).
    await strand();
    const edit = await sc.admin.patch<MppView>(`/api/v1/mpps/${kupang.id}`, { regencyCode: '53.71' });
    expect(edit.status).toBe(200);
    expect([await listed(ntt), await listed(bali)]).toEqual([[flag.id], []]);
  });
});
