import { DataSource } from 'typeorm';
import { EvaluationSettingsService } from '../src/modules/cycles/evaluation-settings.service';
import type { FlagView } from '../src/modules/flags/flags.dto';
import type { ClosureView } from '../src/modules/mpps/closures.dto';
import type { MppView, RetirementView } from '../src/modules/mpps/mpps.dto';
import { NotificationPlanner } from '../src/modules/notifications/notification.planner';
import type { Coverage } from './support/answers';
import type { ApiResponse } from './support/api';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';

/**
 * Issue 15, second round: closures officials approve, re-evaluations that carry to later weeks,
 * and retired MPPs. Each block has its own MPPs and drives the weeks it needs through the API.
 */
describe('verdicts officials can trust, second round (e2e)', () => {
  let sc: Scenario;

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-20T02:00:00Z' });
  });
  afterAll(() => sc.close());

  describe('a late check-in carries to the later weeks (item 8)', () => {
    it('turns W48 from inactive-by-streak into not_reporting with streak 1 and withdraws the flag W48 opened', async () => {
      const mpp = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kupang (beruntun)' });
      const manager = await sc.manager(mpp);
      await sc.evaluateAt('2026-W47', '2026-11-24T06:00:00Z'); // W47 open to corrections until 1 December
      await sc.evaluateAt('2026-W48', '2026-11-30T05:30:00Z');
      expect(await sc.evaluation('2026-W47', mpp.id)).toMatchObject({ result: 'not_reporting', notReportingStreak: 1 });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive', notReportingStreak: 2 });
      const [flag] = await sc.flagsOf(mpp.id);
      expect(flag).toMatchObject({ state: 'open', openedWeek: '2026-W48' });

      sc.clock.set('2026-11-30T08:00:00Z');
      const late = await sc.checkIn(manager, mpp.id, '2026-W47');
      expect(late.status).toBe(201);
      expect(late.body.late).toBe(true);

      expect(await sc.evaluation('2026-W47', mpp.id)).toMatchObject({ result: 'active', notReportingStreak: 0 });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'not_reporting', notReportingStreak: 1 });
      const [after] = await sc.flagsOf(mpp.id);
      expect(after.state).toBe('resolved');
      expect(after.history.at(-1)).toMatchObject({
        from: 'open',
        to: 'resolved',
        by: 'Sistem MPP Monitor',
        week: '2026-W48',
        note: expect.stringContaining('mengubah hasil minggu itu menjadi tidak melapor'),
      });
      expect((await sc.admin.get<FlagView[]>('/api/v1/flags?state=unresolved')).body.filter((f) => f.mppId === mpp.id)).toEqual([]);
    });
  });

  describe('closures the bureau approves (item 4)', () => {
    let bureau: SignedInUser;
    let otherBureau: SignedInUser;
    const closures = (mpp: { id: string }, path = '') => `/api/v1/mpps/${mpp.id}/closures${path}`;
    const closed = { daysOpen: 0, tenantsServing: 0, visitors: 0, transactions: 0, status: 'temporarily_closed', closureReason: 'Banjir' };

    beforeAll(async () => {
      bureau = await sc.bureau('53');
      otherBureau = await sc.bureau('36');
    });

    /**
     * An MPP open Tuesday to Saturday that a flood closed for every opening day of W48: its manager
     * declares the flood on Wednesday (`declare`), reports the week closed on Friday, and W48 is
     * evaluated on Monday.
     */
    const flooded = async (name: string, { declare = true } = {}) => {
      const mpp = await sc.mpp({ regencyCode: '53.71', name, openingDays: [2, 3, 4, 5, 6] });
      const manager = await sc.manager(mpp);
      sc.clock.set('2026-11-25T02:00:00Z'); // Wednesday of W48, 10:00 WITA
      const declared = declare
        ? await sc.as(manager.token).post<ClosureView>(closures(mpp), {
            from: '2026-11-24',
            to: '2026-11-28',
            category: 'disaster',
            reason: 'Banjir merendam lantai dasar gedung MPP',
          })
        : undefined;
      sc.clock.set('2026-11-27T02:00:00Z');
      expect((await sc.checkIn(manager, mpp.id, '2026-W48', closed)).status).toBe(201);
      await sc.evaluateAt('2026-W48', '2026-11-30T06:00:00Z');
      return { mpp, manager, declared };
    };
    /** The bureau approves the manager's flood, on Tuesday 1 December. */
    const approve = async (mpp: { id: string }, flood: ClosureView) => {
      sc.clock.set('2026-12-01T02:00:00Z');
      return sc
        .as(bureau.token)
        .post<ClosureView>(closures(mpp, `/${flood.id}/decision`), { approve: true, note: 'Banjir dikonfirmasi BPBD' });
    };

    it('takes a flood on Tuesday declared by the manager on Wednesday as pending_approval, which excuses nothing yet', async () => {
      const { mpp, declared } = await flooded('MPP Kupang (banjir, menunggu)');
      expect(declared!.status).toBe(201);
      const flood = declared!.body;
      expect(flood).toMatchObject({ from: '2026-11-24', to: '2026-11-28', category: 'disaster', status: 'pending_approval' });
      expect(Object.keys(flood)).toEqual(expect.arrayContaining(['id', 'from', 'to', 'category', 'reason', 'status']));
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive', expectedDays: 5 });
      expect((await sc.flagsOf(mpp.id))[0]).toMatchObject({ state: 'open', openedWeek: '2026-W48' });
    });

    it('answers 404 to the bureau of another province, and 403 to a manager deciding', async () => {
      const { mpp, manager, declared } = await flooded('MPP Kupang (banjir, provinsi lain)');
      const flood = declared!.body;
      sc.clock.set('2026-12-01T02:00:00Z');
      const body = { approve: true, note: 'Bukan provinsi kami' };
      const other = sc.as(otherBureau.token);
      expect((await other.post(closures(mpp, `/${flood.id}/decision`), body)).status).toBe(404);
      expect((await other.patch(closures(mpp, `/${flood.id}`), { reason: 'Ubah' })).status).toBe(404);
      expect((await other.delete(closures(mpp, `/${flood.id}`))).status).toBe(404);
      expect((await sc.as(manager.token).post(closures(mpp, `/${flood.id}/decision`), body)).status).toBe(403);
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive' });
    });

    it('turns W48 excused when the bureau approves (re-evaluated at once), and withdraws the flag W48 opened', async () => {
      const { mpp, declared } = await flooded('MPP Kupang (banjir, disetujui)');
      const flood = declared!.body;
      const res = await approve(mpp, flood);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: flood.id, status: 'approved', decisionNote: 'Banjir dikonfirmasi BPBD' });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'excused', rules: ['planned_closure'], expectedDays: 0 });
      expect((await sc.flagsOf(mpp.id))[0]).toMatchObject({ state: 'resolved' });
    });

    it('sends an approved closure a manager edits back to pending (past start), and W48 follows; a withdrawal too', async () => {
      const { mpp, manager, declared } = await flooded('MPP Kupang (banjir, diubah)');
      const flood = declared!.body;
      expect((await approve(mpp, flood)).body.status).toBe('approved');
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'excused' });

      const edited = await sc.as(manager.token).patch<ClosureView>(closures(mpp, `/${flood.id}`), { to: '2026-11-29' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ to: '2026-11-29', status: 'pending_approval', decidedBy: null });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive' });

      // The bureau's own edit stands approved.
      const fixed = await sc.as(bureau.token).patch<ClosureView>(closures(mpp, `/${flood.id}`), { to: '2026-11-28' });
      expect(fixed.body).toMatchObject({ status: 'approved' });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'excused' });

      expect((await sc.as(manager.token).delete(closures(mpp, `/${flood.id}`))).status).toBe(204);
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive' });
      const listed = (await sc.as(bureau.token).get<ClosureView[]>(closures(mpp))).body;
      expect(listed.find((c) => c.id === flood.id)).toMatchObject({ status: 'withdrawn' });
      expect((await sc.as(manager.token).delete(closures(mpp, `/${flood.id}`))).status).toBe(409);
    });

    it('lets the bureau declare a closure afterwards, approved at once', async () => {
      const { mpp } = await flooded('MPP Kupang (banjir, dicatat biro)', { declare: false });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'inactive' });
      sc.clock.set('2026-12-01T02:00:00Z');
      const res = await sc.as(bureau.token).post<ClosureView>(closures(mpp), {
        from: '2026-11-24',
        to: '2026-11-28',
        kind: 'disaster',
        reason: 'Banjir (dicatat Biro Organisasi)',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ category: 'disaster', status: 'approved' });
      expect(await sc.evaluation('2026-W48', mpp.id)).toMatchObject({ result: 'excused' });
    });
  });
  describe('a year-long closure typed by a manager (item 4)', () => {
    it('waits for the bureau and does not excuse W49', async () => {
      const mpp = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kupang (setahun)' });
      const manager = await sc.manager(mpp);
      sc.clock.set('2026-12-01T02:00:00Z');
      const res = await sc.as(manager.token).post<ClosureView>(`/api/v1/mpps/${mpp.id}/closures`, {
        from: '2026-12-02',
        to: '2027-11-30',
        category: 'renovation',
        reason: 'Renovasi total gedung',
      });
      expect(res.body).toMatchObject({ status: 'pending_approval' });
      await sc.evaluateAt('2026-W49', '2026-12-07T06:00:00Z');
      expect(await sc.evaluation('2026-W49', mpp.id)).toMatchObject({ result: 'not_reporting', expectedDays: 5 });
    });
  });

  describe('reminders and closures (item 4)', () => {
    it('spares a Mon–Fri MPP closed Monday to Friday, but not one whose closure waits for approval', async () => {
      const closed = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kupang (tutup Senin–Jumat)' });
      const pending = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kupang (menunggu)' });
      const manager = await sc.user({ role: 'manager', mppIds: [closed.id, pending.id] });
      sc.clock.set('2026-12-02T02:00:00Z');
      const declare = (mppId: string, token: string) =>
        sc.as(token).post<ClosureView>(`/api/v1/mpps/${mppId}/closures`, {
          from: '2026-12-07',
          to: '2026-12-11',
          category: 'outage',
          reason: 'Pemadaman listrik terjadwal PLN',
        });
      expect((await declare(closed.id, manager.token)).body.status).toBe('approved');
      expect((await declare(pending.id, manager.token)).status).toBe(201);
      await sc.t.sql(`UPDATE planned_closures SET status = 'pending_approval' WHERE mpp_id = $1`, [pending.id]);
      sc.clock.set('2026-12-14T01:00:00Z'); // Monday 14 December, 09:00 WITA: the W50 reminder is due
      await sc.planReminders();
      const reminded = await sc.remindedMpps('2026-W50');
      expect(reminded).toContain(pending.id);
      expect(reminded).not.toContain(closed.id);
    });
  });

  describe('retiring an MPP that closed for good (item 11)', () => {
    let mpp: MppView;
    let manager: SignedInUser;
    let flagId: string;
    let retired: ApiResponse<RetirementView>;
    const body = { on: '2026-12-13', reason: 'Gedung MPP dibongkar; layanan kembali ke dinas masing-masing' };

    // Every test here is about the retired MPP: silent in W49 and W50 (flagged), retired on 13 December.
    beforeAll(async () => {
      mpp = await sc.mpp({ regencyCode: '53.03', name: 'MPP Timor Tengah Selatan (tutup)' });
      manager = await sc.manager(mpp);
      await sc.evaluateAt('2026-W49', '2026-12-14T06:00:00Z');
      await sc.evaluateAt('2026-W50', '2026-12-14T06:00:00Z');
      expect(await sc.evaluation('2026-W50', mpp.id)).toMatchObject({ result: 'inactive' });
      flagId = (await sc.flagsOf(mpp.id))[0].id;
      retired = await sc.admin.post<RetirementView>(`/api/v1/mpps/${mpp.id}/retire`, body);
    });

    it('resolves its open flag by the system with the reason as note', async () => {
      const res = retired;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: mpp.id, active: false, retiredOn: '2026-12-13', resolvedFlagId: flagId });
      const flag = (await sc.admin.get<FlagView>(`/api/v1/flags/${flagId}`)).body;
      expect(flag.state).toBe('resolved');
      expect(flag.history.at(-1)).toMatchObject({ to: 'resolved', by: 'Sistem MPP Monitor', note: expect.stringContaining(body.reason) });
      expect((await sc.admin.post<RetirementView>(`/api/v1/mpps/${mpp.id}/retire`, body)).status).toBe(409);
    });

    it('keeps its past results when a past week is re-run, and evaluates it no more from the week after', async () => {
      await sc.evaluateAt('2026-W50', '2026-12-15T06:00:00Z');
      expect(await sc.evaluation('2026-W50', mpp.id)).toMatchObject({ result: 'inactive' });
      expect(await sc.evaluation('2026-W49', mpp.id)).toMatchObject({ result: 'not_reporting' });
      await sc.evaluateAt('2026-W51', '2026-12-21T06:00:00Z');
      expect(await sc.evaluation('2026-W51', mpp.id)).toBeUndefined();
    });

    it('takes no check-in for a week after it retired, and sends it no reminder', async () => {
      sc.clock.set('2026-12-25T02:00:00Z');
      const res = await sc.checkIn(manager, mpp.id, '2026-W52');
      expect(res.status).toBe(409);
      expect(res.error?.error).toBe('mpp_inactive'); // the check-in feature's existing code for a retired MPP
      sc.clock.set('2026-12-28T01:00:00Z');
      await sc.planReminders();
      const reminded = await sc.t.sql(
        `SELECT 1 FROM notifications n, jsonb_array_elements(n.payload->'mpps') AS mpp WHERE n.kind = 'manager_reminder' AND mpp->>'id' = $1`,
        [mpp.id],
      );
      expect(reminded).toEqual([]);
    });

    it('shows its regency as closed in coverage', async () => {
      const coverage = (await sc.admin.get<Coverage>('/api/v1/reports/coverage')).body;
      expect(coverage.regencies.find((r) => r.code === '53.03')).toMatchObject({ stage: 'closed', mpps: 0 });
      expect(coverage.national.closed).toBe(1);
    });

    it('is not among the digest’s unanswered or longest-open flags', async () => {
      const planner = sc.t.app.get(NotificationPlanner);
      const settings = await sc.t.app.get(EvaluationSettingsService).get();
      const digest = await planner.digestPayload(sc.t.app.get(DataSource).manager, '2026-W51', settings);
      const listed = [...digest.reEscalated.items, ...digest.longestOpen, ...digest.newlyFlagged.items].map((f) => f.flagId);
      expect(listed).not.toContain(flagId);
    });
  });
});
