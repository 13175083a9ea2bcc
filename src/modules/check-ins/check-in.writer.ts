import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Batcher } from '../../common/batching/batcher';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors';
import { preparedQuery } from '../../database/prepared';
import { Metrics } from '../../common/observability/metrics';
import { EvaluationService } from '../cycles/evaluation.service';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { IsoWeek, mondayOf, weekTimes } from '../../common/time/iso-week';
import { normaliseTenants, refusal, sameBody, StoredCheckIn, SubmissionContext } from './check-in.rules';
import { CheckInDto, CheckInView } from './check-ins.dto';
import { CHECK_IN_BATCH_SIZE, CHECK_INS } from './check-in.metrics';

export interface Submission {
  userId: string;
  mppId: string;
  week: IsoWeek;
  dto: CheckInDto;
}

export interface Submitted {
  created: boolean;
  outcome: 'created' | 'revised' | 'unchanged';
  checkIn: CheckInView;
}

export const STORED_FIELDS = `days_open AS "daysOpen", tenants_serving AS "tenantsServing", tenants_serving_ids AS "tenantsServingIds", counters_open AS "countersOpen", visitors, transactions,
  json_build_object('direct', channel_direct, 'mobile', channel_mobile, 'self', channel_self, 'electronic', channel_electronic) AS channels,
  status, closure_reason AS "closureReason", problems, late, submitted_at AS "submittedAt", submitted_by AS "submittedBy", revision`;

const CONTEXT_SQL = `
  SELECT i.n::int AS n, (m.retired_on IS NULL OR m.retired_on >= to_date(i.week, 'IYYY-"W"IW')) AS active, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn", m.opening_days AS "openingDays", m.tenant_count AS "tenantCount", p.timezone,
         ARRAY(SELECT t.id::text FROM mpp_tenants t WHERE t.mpp_id = m.id) AS "tenantIds",
         c.evaluated_at IS NOT NULL AS evaluated, c.locks_at AS "locksAt", to_jsonb(ci) AS current,
         -- holidays the week's deadline may move over (deadlineSearchRange: its Monday deadline, three weeks on)
         ARRAY(SELECT to_char(h.date, 'YYYY-MM-DD') FROM holidays h
                WHERE h.date BETWEEN to_date(i.week, 'IYYY-"W"IW') + 7 AND to_date(i.week, 'IYYY-"W"IW') + 27) AS "deadlineHolidays"
    FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS i(mpp_id, week, n)
    JOIN mpps m ON m.id = i.mpp_id
    JOIN provinces p ON p.code = m.province_code
    LEFT JOIN cycles c ON c.week = i.week
    -- OFFSET 0 keeps this a primary-key lookup per row; flattened, the planner hash-joins every check-in of the table.
    LEFT JOIN LATERAL (SELECT ${STORED_FIELDS}, first_submitted_at AS "firstSubmittedAt" FROM check_ins WHERE mpp_id = i.mpp_id AND week = i.week OFFSET 0) ci ON true`;

// Columns shared by the current row and its revision.
const COLUMNS = `revision, days_open, tenants_serving, counters_open, visitors, transactions, channel_direct, channel_mobile,
                 channel_self, channel_electronic, status, closure_reason, problems, late, submitted_at, submitted_by`;

/**
 * Writes a batch in one statement, so it commits atomically on its own. Two guards make the
 * unlocked read before it safe: a row is written only if the stored revision is still the one
 * the judgement saw (else someone wrote in between), and only if its cycle is still in the state
 * the judgement saw. The cycle row is read FOR SHARE: an evaluation holds it FOR UPDATE from
 * before it reads the check-ins until it commits, so a check-in either commits before the
 * evaluation reads, or waits, sees the week evaluated, and is judged again.
 */
const WRITE_SQL = `
  WITH cycle AS (
    SELECT week, evaluated_at, locks_at FROM cycles WHERE week = ANY($2::text[]) FOR SHARE
  ), input AS (
    SELECT t.* FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::smallint[], $6::int[], $7::int[], $8::int[], $9::int[],
                           $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::text[], $15::text[], $16::text[], $17::bool[],
                           $18::timestamptz[], $19::uuid[], $20::bool[], $21::text[], $22::timestamptz[])
      AS t(mpp_id, week, week_start, ${COLUMNS}, evaluated, tenants_serving_ids, deadline)
      LEFT JOIN cycle c ON c.week = t.week
     WHERE (c.evaluated_at IS NOT NULL) = t.evaluated AND (c.locks_at IS NULL OR c.locks_at > t.submitted_at)
  ), saved AS (
    INSERT INTO check_ins (mpp_id, week, week_start, ${COLUMNS}, tenants_serving_ids, first_submitted_at)
    SELECT mpp_id, week, week_start, ${COLUMNS}, tenants_serving_ids::uuid[], submitted_at FROM input
    ON CONFLICT (mpp_id, week) DO UPDATE SET
      revision = EXCLUDED.revision, days_open = EXCLUDED.days_open, tenants_serving = EXCLUDED.tenants_serving,
      tenants_serving_ids = EXCLUDED.tenants_serving_ids,
      counters_open = EXCLUDED.counters_open, visitors = EXCLUDED.visitors, transactions = EXCLUDED.transactions,
      channel_direct = EXCLUDED.channel_direct, channel_mobile = EXCLUDED.channel_mobile, channel_self = EXCLUDED.channel_self,
      channel_electronic = EXCLUDED.channel_electronic, status = EXCLUDED.status, closure_reason = EXCLUDED.closure_reason,
      problems = EXCLUDED.problems, submitted_at = EXCLUDED.submitted_at, submitted_by = EXCLUDED.submitted_by
    WHERE check_ins.revision = EXCLUDED.revision - 1
    RETURNING mpp_id, week, first_submitted_at
  ), revised AS (
    INSERT INTO check_in_revisions (mpp_id, week, ${COLUMNS}, tenants_serving_ids)
    SELECT i.mpp_id, i.week, ${COLUMNS.split(',')
      .map((c) => `i.${c.trim()}`)
      .join(', ')}, i.tenants_serving_ids::uuid[] FROM input i JOIN saved USING (mpp_id, week)
  ), receipts AS (
    -- The manager's receipt, decided in the same statement as the revision it reports: one per
    -- revision (the scope names it), so a correction gets an updated receipt and a repeat nothing.
    INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
    SELECT 'check_in_receipt', i.week, 'check_in:' || i.mpp_id || ':' || i.revision, u.locale, ARRAY[u.email],
           jsonb_build_object('mppId', i.mpp_id, 'mppName', m.name, 'managerName', u.name, 'timezone', p.timezone,
                              'revision', i.revision, 'daysOpen', i.days_open, 'visitors', i.visitors, 'transactions', i.transactions,
                              'tenantsServing', i.tenants_serving, 'registeredTenants', m.tenant_count, 'status', i.status,
                              'late', i.late, 'deadline', i.deadline, 'submittedAt', i.submitted_at),
           $23, i.submitted_at
      FROM input i JOIN saved USING (mpp_id, week)
      JOIN users u ON u.id = i.submitted_by JOIN mpps m ON m.id = i.mpp_id JOIN provinces p ON p.code = m.province_code
    ON CONFLICT (kind, week, scope, locale) DO NOTHING
    RETURNING id, week, payload->>'mppId' AS mpp_id
  )
  SELECT s.mpp_id AS "mppId", s.week, s.first_submitted_at AS "firstSubmittedAt", r.id AS "receiptId"
    FROM saved s LEFT JOIN receipts r ON r.mpp_id = s.mpp_id::text AND r.week = s.week`;

/** A submission that lost a race (another revision or the evaluation came first) is judged again on fresh data. */
const STALE = Symbol('stale');
const MAX_ATTEMPTS = 20;

/**
 * Stores check-ins with group commit: submissions that arrive while earlier ones are being written
 * share the next batch, which costs one read and one write statement (one commit) for all of
 * them, and each caller is answered only after that commit. Idle, a batch holds one check-in.
 */
@Injectable()
export class CheckInWriter {
  private readonly batches = new Batcher<Submission, Submitted | typeof STALE>((items) => this.writeBatch(items), {
    maxBatch: 200,
    // One batch at a time per process measured fastest here (50 clients: 2,078/s with one, 1,921
    // with two, 1,654 with four, 1,340 with eight in flight): bigger batches, fewer commits.
    maxInFlight: 1,
    key: (s) => `${s.mppId}:${s.week}`,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evaluation: EvaluationService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly outbox: OutboxDispatcher,
    private readonly config: AppConfig,
  ) {}

  async submit(submission: Submission): Promise<Submitted> {
    normaliseTenants(submission.dto);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await this.batches.submit(submission);
      if (result !== STALE) return result;
    }
    throw AppError.conflict('This check-in is being changed by other requests at the same time; send it again', 'conflict');
  }

  /** Should the batch fail as a whole, each submission is tried alone, so one row the database refuses fails only itself. */
  private async writeBatch(items: Submission[]): Promise<(Submitted | typeof STALE | Error)[]> {
    let results: (Submitted | typeof STALE | Error)[];
    try {
      results = await this.write(items);
    } catch (error) {
      if (items.length === 1) throw error;
      results = await Promise.all(
        items.map((item) =>
          this.write([item]).then(
            (r) => r[0],
            (e: Error) => e,
          ),
        ),
      );
    }
    const stored = results.filter((r): r is Submitted => !(r instanceof Error) && r !== STALE);
    const written = stored.filter((r) => r.outcome !== 'unchanged').length;
    if (written) this.metrics.histogram(CHECK_IN_BATCH_SIZE).observe(written);
    for (const r of stored) this.metrics.counter(CHECK_INS).inc({ outcome: r.outcome, late: String(r.checkIn.late) });
    return results;
  }

  private async write(items: Submission[]): Promise<(Submitted | typeof STALE | Error)[]> {
    const now = this.clock.now();
    const rows = await preparedQuery<SubmissionContext & { n: number; deadlineHolidays: string[] }>(
      this.db,
      'check-in-context',
      CONTEXT_SQL,
      [items.map((s) => s.mppId), items.map((s) => s.week)],
    );
    const contexts = new Map(rows.map((r) => [r.n - 1, { ...r, locksAt: r.locksAt && new Date(r.locksAt) }]));

    const results: (Submitted | typeof STALE | Error)[] = new Array(items.length);
    const writes: { index: number; s: Submission; revision: number; late: boolean; deadline: Date; evaluated: boolean }[] = [];
    items.forEach((s, index) => {
      const ctx = contexts.get(index);
      if (!ctx) return (results[index] = AppError.notFound('MPP'));
      const times = weekTimes(s.week, ctx.timezone, new Set(ctx.deadlineHolidays));
      const refused = refusal(s.week, ctx, s.dto, now, times);
      if (refused) return (results[index] = refused);
      if (ctx.current && sameBody(ctx.current, s.dto)) {
        return (results[index] = { created: false, outcome: 'unchanged', checkIn: view(s, ctx.current, times.deadline) });
      }
      writes.push({
        index,
        s,
        revision: (ctx.current?.revision ?? 0) + 1,
        late: now > times.deadline,
        deadline: times.deadline,
        evaluated: ctx.evaluated,
      });
    });
    if (!writes.length) return results;

    const params = [
      writes.map((x) => x.s.mppId),
      writes.map((x) => x.s.week),
      writes.map((x) => mondayOf(x.s.week)),
      writes.map((x) => x.revision),
      writes.map((x) => x.s.dto.daysOpen),
      writes.map((x) => x.s.dto.tenantsServing),
      writes.map((x) => x.s.dto.countersOpen),
      writes.map((x) => x.s.dto.visitors),
      writes.map((x) => x.s.dto.transactions),
      writes.map((x) => x.s.dto.channels.direct),
      writes.map((x) => x.s.dto.channels.mobile),
      writes.map((x) => x.s.dto.channels.self),
      writes.map((x) => x.s.dto.channels.electronic),
      writes.map((x) => x.s.dto.status),
      writes.map((x) => x.s.dto.closureReason ?? null),
      writes.map((x) => x.s.dto.problems ?? null),
      writes.map((x) => x.late),
      writes.map(() => now),
      writes.map((x) => x.s.userId),
      writes.map((x) => x.evaluated),
      // One Postgres array literal per row (unnest would flatten a two-dimensional array); null: only the count.
      writes.map((x) => (x.s.dto.tenantsServingIds ? `{${x.s.dto.tenantsServingIds.join(',')}}` : null)),
      writes.map((x) => x.deadline),
      this.config.notify.maxAttempts,
    ];
    type Saved = { mppId: string; week: IsoWeek; firstSubmittedAt: string; receiptId: string | null };
    // Usually one statement on its own. A report for a week already evaluated also re-evaluates
    // its MPP for that week and the later evaluated, unlocked ones (their streaks follow), in the
    // same transaction, so the verdicts and the report they rest on commit together.
    const notificationIds: string[] = [];
    const saved: Saved[] = writes.some((x) => x.evaluated)
      ? await this.db.transaction(async (tx) => {
          const rows: Saved[] = await tx.query(WRITE_SQL, params);
          const byWeek = new Map<IsoWeek, string[]>();
          for (const x of writes) {
            if (x.evaluated && rows.some((r) => r.mppId === x.s.mppId && r.week === x.s.week))
              byWeek.set(x.s.week, [...(byWeek.get(x.s.week) ?? []), x.s.mppId]);
          }
          // Oldest week first: its later weeks' streaks are re-evaluated after it.
          for (const [week, mppIds] of [...byWeek].sort(([a], [b]) => mondayOf(a).localeCompare(mondayOf(b))))
            await this.evaluation.reevaluate(tx, week, mppIds, notificationIds);
          return rows;
        })
      : await preparedQuery<Saved>(this.db, 'check-in-write', WRITE_SQL, params);
    // Durable with the verdict; queued now (the outbox sweep would also find them).
    if (notificationIds.length) await this.outbox.dispatch(notificationIds);
    // Receipts are durable with their check-ins; queued without holding up the answer (dispatch never
    // throws, and the outbox sweep queues whatever this misses).
    void this.outbox.dispatch(saved.flatMap((r) => (r.receiptId ? [r.receiptId] : [])));
    const first = new Map(saved.map((r) => [`${r.mppId}:${r.week}`, r.firstSubmittedAt]));

    for (const x of writes) {
      const firstSubmittedAt = first.get(`${x.s.mppId}:${x.s.week}`);
      if (!firstSubmittedAt) {
        results[x.index] = STALE;
        continue;
      }
      const { dto } = x.s;
      const created = x.revision === 1;
      const stored: StoredCheckIn = {
        revision: x.revision,
        daysOpen: dto.daysOpen,
        tenantsServing: dto.tenantsServing,
        tenantsServingIds: dto.tenantsServingIds ?? null,
        countersOpen: dto.countersOpen,
        visitors: dto.visitors,
        transactions: dto.transactions,
        status: dto.status,
        closureReason: dto.closureReason ?? null,
        problems: dto.problems ?? null,
        late: x.late,
        submittedAt: now.toISOString(),
        submittedBy: x.s.userId,
        channels: {
          direct: dto.channels.direct,
          mobile: dto.channels.mobile,
          self: dto.channels.self,
          electronic: dto.channels.electronic,
        },
        firstSubmittedAt,
      };
      results[x.index] = { created, outcome: created ? 'created' : 'revised', checkIn: view(x.s, stored, x.deadline) };
    }
    return results;
  }
}

export function view(s: { mppId: string; week: string }, row: StoredCheckIn, deadline?: Date): CheckInView {
  return {
    mppId: s.mppId,
    week: s.week,
    revision: row.revision,
    daysOpen: row.daysOpen,
    tenantsServing: row.tenantsServing,
    ...(row.tenantsServingIds ? { tenantsServingIds: row.tenantsServingIds } : {}),
    countersOpen: row.countersOpen,
    visitors: row.visitors,
    transactions: row.transactions,
    channels: row.channels,
    status: row.status,
    closureReason: row.closureReason,
    problems: row.problems,
    late: row.late,
    submittedAt: new Date(row.submittedAt).toISOString(),
    submittedBy: row.submittedBy,
    ...(row.firstSubmittedAt ? { firstSubmittedAt: new Date(row.firstSubmittedAt).toISOString() } : {}),
    ...(deadline ? { deadline: deadline.toISOString() } : {}),
  };
}
