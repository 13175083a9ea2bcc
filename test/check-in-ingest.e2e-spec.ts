import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FixedClock } from '../src/common/clock';
import { CyclesService } from '../src/modules/cycles/cycles.service';
import { CheckInWriter } from '../src/modules/check-ins/check-in.writer';
import { CheckInDto, CheckInView } from '../src/modules/check-ins/check-ins.dto';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { CycleView } from '../src/modules/cycles/cycles.dto';

/**
 * Group commit: concurrent check-ins share transactions, and each answer still means "committed".
 * Many managers at once, one MPP revised by many requests at once, and a batch with one row the
 * database refuses.
 */
describe('check-in ingest with group commit (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z')); // Friday of W48: the window is open everywhere
  const week = '2026-W48';
  let t: TestApp;
  let admin: string;
  const managers: { id: string; token: string; mppId: string }[] = [];
  const regencies = ['53.71', '36.02', '91.03', '51.08', '11.04', '72.06', '31.71', '64.72'];

  const put = (m: { token: string; mppId: string }, body: Record<string, unknown>) =>
    t.as(m.token).put<CheckInView>(`/api/v1/mpps/${m.mppId}/check-ins/${week}`, body);
  const batchSizes = async () => {
    const text = (await t.as().get('/metrics')).text;
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1]);
    return { batches: value('mpp_check_in_batch_size_count'), rows: value('mpp_check_in_batch_size_sum') };
  };

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    admin = await t.adminToken();
    for (let i = 0; i < 24; i++) {
      const mpp = await createMpp(t, admin, { regencyCode: regencies[i % regencies.length], name: `MPP ingest ${i}` });
      const user = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
      managers.push({ ...user, mppId: mpp.id });
    }
  });
  afterAll(() => t.close());

  it('answers 48 concurrent check-ins from 24 managers, each committed once, in fewer transactions than requests', async () => {
    const responses = await Promise.all(
      managers.flatMap((m, i) => [put(m, checkInBody({ visitors: 1000 + i })), put(m, checkInBody({ visitors: 2000 + i }))]),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(24).fill(200), ...Array(24).fill(201)]);
    // Each MPP: one 201 at revision 1 and one 200 at revision 2, whichever came first.
    for (const [i, m] of managers.entries()) {
      const mine = responses.slice(2 * i, 2 * i + 2).map((r) => r.body);
      expect(mine.map((b) => b.revision).sort()).toEqual([1, 2]);
      expect(mine.every((b) => b.submittedBy === m.id && b.mppId === m.mppId && b.late === false)).toBe(true);
      const last = mine.find((b) => b.revision === 2);
      const stored = await t.sql(`SELECT revision, visitors FROM check_ins WHERE mpp_id = $1 AND week = $2`, [m.mppId, week]);
      expect(stored).toEqual([{ revision: 2, visitors: last?.visitors }]);
    }
    expect(await t.sql(`SELECT count(*)::int AS n, count(DISTINCT (mpp_id, revision))::int AS distinct FROM check_in_revisions`)).toEqual([
      { n: 48, distinct: 48 },
    ]);
    const { batches, rows } = await batchSizes();
    expect(rows).toBe(48);
    expect(batches).toBeLessThan(48);
  });

  it('serialises 20 concurrent revisions of one MPP: revisions 2 to 21, none lost or repeated', async () => {
    const m = managers[0];
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => put(m, checkInBody({ transactions: 5000 + i }))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.map((r) => r.body.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    const revisions = await t.sql(`SELECT revision, transactions FROM check_in_revisions WHERE mpp_id = $1 ORDER BY revision`, [m.mppId]);
    expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    // The answer for revision N carries exactly what revision N stored.
    for (const r of responses) expect(revisions[r.body.revision - 1].transactions).toBe(r.body.transactions);
    const [current] = await t.sql(`SELECT revision FROM check_ins WHERE mpp_id = $1`, [m.mppId]);
    expect(current.revision).toBe(22);
  });

  it('fails only the row the database refuses when it shares a batch with good ones', async () => {
    const writer = t.app.get(CheckInWriter);
    const dto = (visitors: number, problems?: string) => Object.assign(new CheckInDto(), checkInBody({ visitors, problems }));
    // The first four start their own batches at once; the next ones wait and are written together.
    const good = managers
      .slice(10, 20)
      .map((m, i) => writer.submit({ userId: m.id, tokenVersion: 0, mppId: m.mppId, week, dto: dto(7000 + i) }));
    // Past validation (called directly), a NUL byte only the database refuses.
    const bad = managers[20];
    const refused = writer.submit({ userId: bad.id, tokenVersion: 0, mppId: bad.mppId, week, dto: dto(9999, 'rusak\u0000') });
    // No such user: refused by the batch's own session check before anything is written.
    const ghost = writer.submit({ userId: randomUUID(), tokenVersion: 0, mppId: managers[21].mppId, week, dto: dto(9998) });
    const settled = await Promise.allSettled([...good, refused, ghost]);
    expect(settled.slice(0, 10).map((s) => s.status)).toEqual(Array(10).fill('fulfilled'));
    expect(settled[10]).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ message: expect.stringContaining('invalid byte sequence') }),
    });
    expect(settled[11]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ statusCode: 401 }) });
    const stored = await t.sql(`SELECT visitors, revision FROM check_ins WHERE mpp_id = ANY($1) AND week = $2 ORDER BY visitors`, [
      managers.slice(10, 20).map((m) => m.mppId),
      week,
    ]);
    expect(stored).toEqual(Array.from({ length: 10 }, (_, i) => ({ visitors: 7000 + i, revision: 3 })));
    expect(
      await t.sql(`SELECT mpp_id, max(revision)::int AS r FROM check_in_revisions WHERE mpp_id = ANY($1) GROUP BY mpp_id ORDER BY r`, [
        [managers[20].mppId, managers[21].mppId],
      ]),
    ).toEqual([
      { mpp_id: expect.any(String), r: 2 },
      { mpp_id: expect.any(String), r: 2 },
    ]);
  });

  it('re-evaluates every MPP of a batch of late check-ins for an evaluated week, in the same commit', async () => {
    clock.set('2026-11-30T05:30:00Z'); // Monday 12:30 WIB: every deadline has passed
    expect((await t.as(admin).post<CycleView>(`/api/v1/cycles/${week}/evaluate`)).status).toBe(200);
    const late = managers.slice(21, 24);
    const before = await t.sql(`SELECT count(*)::int AS n FROM evaluations WHERE week = $1 AND mpp_id = ANY($2) AND result = 'inactive'`, [
      week,
      late.map((m) => m.mppId),
    ]);
    expect(before).toEqual([{ n: 0 }]);
    const responses = await Promise.all(
      late.map((m) =>
        put(m, checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Listrik padam' })),
      ),
    );
    expect(responses.map((r) => [r.status, r.body.late, r.body.revision])).toEqual(Array(3).fill([200, true, 3]));
    const after = await t.sql(`SELECT result FROM evaluations WHERE week = $1 AND mpp_id = ANY($2)`, [week, late.map((m) => m.mppId)]);
    expect(after).toEqual(Array(3).fill({ result: 'inactive' }));
  });

  it('holds a check-in that meets an evaluation in progress, then judges it against the evaluated week', async () => {
    clock.set('2026-12-07T05:30:00Z'); // W49's deadlines have passed; W49 not evaluated yet
    await t.app.get(CyclesService).ensureCycles();
    const m = managers[5];
    // An evaluation in progress holds its cycle row from before it reads the check-ins until it commits.
    const evaluation = new Client({ connectionString: t.config.databaseUrl });
    await evaluation.connect();
    try {
      await evaluation.query('BEGIN');
      await evaluation.query(`SELECT 1 FROM cycles WHERE week = '2026-W49' FOR UPDATE`);
      let answered = false;
      const pending = t
        .as(m.token)
        .put<CheckInView>(`/api/v1/mpps/${m.mppId}/check-ins/2026-W49`, checkInBody())
        .finally(() => (answered = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      await evaluation.query(
        `UPDATE cycles SET evaluated_at = $1, locks_at = $1::timestamptz + interval '14 days' WHERE week = '2026-W49'`,
        [clock.now()],
      );
      await evaluation.query('COMMIT');
      const res = await pending;
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ week: '2026-W49', revision: 1, late: true });
    } finally {
      await evaluation.end();
    }
    // Judged again as a late report for an evaluated week: the MPP was evaluated in the same commit.
    expect(await t.sql(`SELECT result, reported FROM evaluations WHERE week = '2026-W49' AND mpp_id = $1`, [m.mppId])).toEqual([
      { result: 'active', reported: true },
    ]);
  });
});
