import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { solvedAltcha } from './support/altcha';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { NewSignalSource, Disputes } from './support/answers';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { PublicMppView } from '../src/modules/public-status/public-status.dto';

/** A self-report contradicted by citizens or by machines is disputed (DOMAIN.md, "Evaluation"). */
describe('reconciliation in the evaluation (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-20T03:00:00Z')); // Friday of W47
  let t: TestApp;
  let admin: string;
  let bureau: { token: string };
  const mpp: Record<string, { id: string }> = {};

  const closedReport = async (mppId: string, ip: string) =>
    expect(
      (
        await t
          .as()
          .post(
            `/api/v1/public/mpps/${mppId}/reports`,
            { kind: 'closed', visitedOn: '2026-11-25', note: `Tutup <b>${ip}</b>`, altcha: await solvedAltcha(t) },
            { ip },
          )
      ).status,
    ).toBe(202);

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    admin = await t.adminToken();
    bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    for (const name of ['citizens', 'fewCitizens', 'signals', 'busy'])
      mpp[name] = await createMpp(t, admin, { regencyCode: '53.71', name: `MPP ${name}` });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: Object.values(mpp).map((m) => m.id) });
    // Sources live all of W48: one pings on 2 of the 5 days its MPP claims open, the other on all 5.
    const source = async (m: { id: string }) =>
      (await t.as(admin).post<NewSignalSource>(`/api/v1/mpps/${m.id}/signal-sources`, { name: 'Mesin antrean' })).body.pingUrl.replace(
        /^https?:\/\/[^/]+/,
        '',
      );
    const quiet = await source(mpp.signals);
    const busy = await source(mpp.busy);
    clock.set('2026-11-27T03:00:00Z');
    for (const m of Object.values(mpp))
      expect((await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${m.id}/check-ins/2026-W48`, checkInBody())).status).toBe(201);
    for (const day of ['2026-11-24', '2026-11-25']) expect((await t.as().get(`${quiet}?date=${day}`)).status).toBe(202);
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'])
      expect((await t.as().get(`${busy}?date=${day}`)).status).toBe(202);
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) await closedReport(mpp.citizens.id, ip);
    // Two citizens, one of them twice: below the threshold of three distinct reports.
    for (const ip of ['10.2.0.1', '10.2.0.2']) await closedReport(mpp.fewCitizens.id, ip);
    clock.set('2026-11-30T05:30:00Z');
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  const evaluation = async (m: { id: string }) =>
    (await t.sql(`SELECT result, rules, disputed FROM evaluations WHERE week = '2026-W48' AND mpp_id = $1`, [m.id]))[0];

  it('three citizens who found it closed against five claimed days: disputed, at_risk', async () => {
    expect(await evaluation(mpp.citizens)).toEqual({ result: 'at_risk', rules: ['contradicted_by_citizen_reports'], disputed: true });
    expect(await evaluation(mpp.fewCitizens)).toEqual({ result: 'active', rules: [], disputed: false });
  });

  it('a source that pinged on 2 of 5 claimed days disputes the week; one that pinged every day does not', async () => {
    expect(await evaluation(mpp.signals)).toEqual({ result: 'at_risk', rules: ['contradicted_by_signals'], disputed: true });
    expect(await evaluation(mpp.busy)).toEqual({ result: 'active', rules: [], disputed: false });
  });

  it('shows the bureau the evidence, and the public page says limited only after the bureau confirms', async () => {
    const disputes = await t.as(bureau.token).get<Disputes>(`/api/v1/mpps/${mpp.citizens.id}/disputes`);
    expect(disputes.status).toBe(200);
    expect(disputes.body).toEqual([
      expect.objectContaining({
        week: '2026-W48',
        rules: ['contradicted_by_citizen_reports'],
        confirmedAt: null,
        daysOpenClaimed: 5,
        citizenReports: expect.arrayContaining([
          expect.objectContaining({ kind: 'closed', visitedOn: '2026-11-25', note: 'Tutup <b>10.1.0.1</b>' }),
        ]),
      }),
    ]);
    expect(disputes.body[0].citizenReports).toHaveLength(3);
    const signals = await t.as(bureau.token).get<Disputes>(`/api/v1/mpps/${mpp.signals.id}/disputes`);
    expect(signals.body[0].signalDays.map((d) => d.date)).toEqual(['2026-11-24', '2026-11-25']);

    const publicStatus = async () =>
      (await t.as().get<PublicMppView[]>('/api/v1/public/mpps')).body.find((m) => m.id === mpp.citizens.id)?.status;
    expect(await publicStatus()).toBe('operating');
    const confirmed = await t.as(bureau.token).post(`/api/v1/mpps/${mpp.citizens.id}/disputes/2026-W48/confirm`);
    expect(confirmed.status).toBe(200);
    clock.advance(1_001); // a process re-reads the public data version at most once a second
    expect(await publicStatus()).toBe('limited');
    // The public answer carries no citizen note.
    expect((await t.as().get<PublicMppView[]>('/api/v1/public/mpps')).text).not.toContain('10.1.0.1');
    // A week that is not disputed cannot be confirmed.
    expect((await t.as(bureau.token).post(`/api/v1/mpps/${mpp.busy.id}/disputes/2026-W48/confirm`)).status).toBe(404);
  });
});
