import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Batcher } from '../../common/batching/batcher';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors';
import { NamedUnnest } from '../../database/named-unnest';
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
  /** The token version the caller's session carries; checked by the context and write statements. */
  tokenVersion: number;
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

type Context = SubmissionContext & { n: number; sessionValid: boolean; manages: boolean; deadlineHolidays: string[] };

const CONTEXT_INPUT = new NamedUnnest<Submission>(
  [
    { name: 'mpp_id', type: 'uuid', value: (s) => s.mppId },
    { name: 'week', type: 'text', value: (s) => s.week },
    { name: 'user_id', type: 'uuid', value: (s) => s.userId },
    { name: 'token_version', type: 'int', value: (s) => s.tokenVersion },
  ],
  'i',
  { ordinality: 'n' },
);

/**
 * One row per submission, in one statement: the caller's session (the guard leaves it to this
 * statement for the check-in PUT, @SessionCheckedByHandler) and scope, and what the rules judge.
 */
const CONTEXT_SQL = `
  SELECT i.n::int AS n,
         EXISTS (SELECT 1 FROM users u WHERE u.id = i.user_id AND u.active AND u.role = 'manager' AND u.token_version = i.token_version) AS "sessionValid",
         m.id IS NOT NULL AND EXISTS (SELECT 1 FROM mpp_managers mm WHERE mm.user_id = i.user_id AND mm.mpp_id = i.mpp_id) AS manages,
         (m.retired_on IS NULL OR m.retired_on >= to_date(i.week, 'IYYY-"W"IW')) AS active, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn", m.opening_days AS "openingDays", m.tenant_count AS "tenantCount", p.timezone,
         ARRAY(SELECT t.id::text FROM mpp_tenants t WHERE t.mpp_id = m.id) AS "tenantIds",
         c.evaluated_at IS NOT NULL AS evaluated, c.locks_at AS "locksAt", to_jsonb(ci) AS current,
         -- holidays the week's deadline may move over (deadlineSearchRange: its Monday deadline, three weeks on)
         ARRAY(SELECT to_char(h.date, 'YYYY-MM-DD') FROM holidays h
                WHERE h.date BETWEEN to_date(i.week, 'IYYY-"W"IW') + 7 AND to_date(i.week, 'IYYY-"W"IW') + 27) AS "deadlineHolidays"
    FROM ${CONTEXT_INPUT.sql}
    LEFT JOIN mpps m ON m.id = i.mpp_id
    LEFT JOIN provinces p ON p.code = m.province_code
    LEFT JOIN cycles c ON c.week = i.week
    -- OFFSET 0 keeps this a primary-key lookup per row; flattened, the planner hash-joins every check-in of the table.
    LEFT JOIN LATERAL (SELECT ${STORED_FIELDS}, first_submitted_at AS "firstSubmittedAt" FROM check_ins WHERE mpp_id = i.mpp_id AND week = i.week OFFSET 0) ci ON true`;

/** A submission judged writable: its new revision and what the write guards on. */
interface Write {
  index: number;
  s: Submission;
  revision: number;
  late: boolean;
  deadline: Date;
  evaluated: boolean;
  now: Date;
}

// Columns shared by the current row and its revision, in the input's names.
const COLUMNS = `revision, days_open, tenants_serving, counters_open, visitors, transactions, channel_direct, channel_mobile,
                 channel_self, channel_electronic, status, closure_reason, problems, late, submitted_at, submitted_by`;

const WRITE_INPUT = new NamedUnnest<Write>(
  [
    { name: 'mpp_id', type: 'uuid', value: (x) => x.s.mppId },
    { name: 'week', type: 'text', value: (x) => x.s.week },
    { name: 'week_start', type: 'date', value: (x) => mondayOf(x.s.week) },
    { name: 'revision', type: 'int', value: (x) => x.revision },
    { name: 'days_open', type: 'smallint', value: (x) => x.s.dto.daysOpen },
    { name: 'tenants_serving', type: 'int', value: (x) => x.s.dto.tenantsServing },
    { name: 'counters_open', type: 'int', value: (x) => x.s.dto.countersOpen },
    { name: 'visitors', type: 'int', value: (x) => x.s.dto.visitors },
    { name: 'transactions', type: 'int', value: (x) => x.s.dto.transactions },
    { name: 'channel_direct', type: 'bool', value: (x) => x.s.dto.channels.direct },
    { name: 'channel_mobile', type: 'bool', value: (x) => x.s.dto.channels.mobile },
    { name: 'channel_self', type: 'bool', value: (x) => x.s.dto.channels.self },
    { name: 'channel_electronic', type: 'bool', value: (x) => x.s.dto.channels.electronic },
    { name: 'status', type: 'text', value: (x) => x.s.dto.status },
    { name: 'closure_reason', type: 'text', value: (x) => x.s.dto.closureReason ?? null },
    { name: 'problems', type: 'text', value: (x) => x.s.dto.problems ?? null },
    { name: 'late', type: 'bool', value: (x) => x.late },
    { name: 'submitted_at', type: 'timestamptz', value: (x) => x.now },
    { name: 'submitted_by', type: 'uuid', value: (x) => x.s.userId },
    { name: 'token_version', type: 'int', value: (x) => x.s.tokenVersion },
    { name: 'evaluated', type: 'bool', value: (x) => x.evaluated },
    // One Postgres array literal per row (unnest would flatten a two-dimensional array); null: only the count.
    {
      name: 'tenants_serving_ids',
      type: 'text',
      value: (x) => (x.s.dto.tenantsServingIds ? `{${x.s.dto.tenantsServingIds.join(',')}}` : null),
    },
    // For the manager's receipt: the deadline the judgement used.
    { name: 'deadline', type: 'timestamptz', value: (x) => x.deadline },
  ],
  't',
);

/** The receipts' delivery attempts, the one parameter after the input's arrays. */
const RECEIPT_MAX_ATTEMPTS = `$${WRITE_INPUT.nextParam}::int`;

/**
 * Writes a batch in one statement, so it commits atomically on its own. Three guards make the
 * unlocked read before it safe: a row is written only if the stored revision is still the one
 * the judgement saw (else someone wrote in between), only if its cycle is still in the state
 * the judgement saw, and only if the caller's session is still valid (a logout in between writes
 * nothing; judged again, the submission is refused). The cycle row is read FOR SHARE: an
 * evaluation holds it FOR UPDATE from before it reads the check-ins until it commits, so a
 * check-in either commits before the evaluation reads, or waits, sees the week evaluated, and is
 * judged again.
 */
const WRITE_SQL = `
  WITH cycle AS (
    SELECT week, evaluated_at, locks_at FROM cycles WHERE week = ANY($2::text[]) FOR SHARE
  ), input AS (
    SELECT t.* FROM ${WRITE_INPUT.sql}
      LEFT JOIN cycle c ON c.week = t.week
     WHERE (c.evaluated_at IS NOT NULL) = t.evaluated AND (c.locks_at IS NULL OR c.locks_at > t.submitted_at)
       AND EXISTS (SELECT 1 FROM users u WHERE u.id = t.submitted_by AND u.active AND u.token_version = t.token_version)
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
           ${RECEIPT_MAX_ATTEMPTS}, i.submitted_at
      FROM input i JOIN saved USING (mpp_id, week)
      JOIN users u ON u.id = i.submitted_by JOIN mpps m ON m.id = i.mpp_id JOIN provinces p ON p.code = m.province_code
    ON CONFLICT (kind, week, scope, locale) DO NOTHING
    RETURNING id, week, payload->>'mppId' AS mpp_id
  )
  SELECT s.mpp_id AS "mppId", s.week, s.first_submitted_at AS "firstSubmittedAt", r.id AS "receiptId"
    FROM saved s LEFT JOIN receipts r ON r.mpp_id = s.mpp_id::text AND r.week = s.week`;

type Saved = { mppId: string; week: IsoWeek; firstSubmittedAt: string; receiptId: string | null };
type Outcome = Submitted | typeof STALE | Error;

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
  private async writeBatch(items: Submission[]): Promise<Outcome[]> {
    let results: Outcome[];
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

  /** One batch: read every context (one statement), judge each, write the writable ones (one statement), answer each. */
  private async write(items: Submission[]): Promise<Outcome[]> {
    const now = this.clock.now();
    const contexts = await this.readContexts(items);
    const results: Outcome[] = new Array(items.length);
    const writes = this.judge(items, contexts, now, results);
    if (!writes.length) return results;
    const saved = await this.store(writes);
    // Receipts are durable with their check-ins; queued without holding up the answer (dispatch never
    // throws, and the outbox sweep queues whatever this misses).
    void this.outbox.dispatch(saved.flatMap((r) => (r.receiptId ? [r.receiptId] : [])));
    const first = new Map(saved.map((r) => [`${r.mppId}:${r.week}`, r.firstSubmittedAt]));
    for (const x of writes) {
      const firstSubmittedAt = first.get(`${x.s.mppId}:${x.s.week}`);
      results[x.index] = firstSubmittedAt ? submitted(x, firstSubmittedAt) : STALE;
    }
    return results;
  }

  private async readContexts(items: Submission[]): Promise<Map<number, Context>> {
    const rows = await preparedQuery<Context>(this.db, 'check-in-context', CONTEXT_SQL, CONTEXT_INPUT.values(items));
    return new Map(rows.map((r) => [r.n - 1, { ...r, locksAt: r.locksAt && new Date(r.locksAt) }]));
  }

  /** Answers refusals and unchanged bodies into `results`; returns what is to be written. */
  private judge(items: Submission[], contexts: Map<number, Context>, now: Date, results: Outcome[]): Write[] {
    const writes: Write[] = [];
    items.forEach((s, index) => {
      const ctx = contexts.get(index);
      if (!ctx?.sessionValid) return (results[index] = AppError.unauthorized('Invalid or expired token'));
      if (!ctx.manages) return (results[index] = AppError.notFound('MPP'));
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
        now,
      });
    });
    return writes;
  }

  /**
   * Usually one statement on its own. A report for a week already evaluated also re-evaluates
   * its MPP for that week and the later evaluated, unlocked ones (their streaks follow), in the
   * same transaction, so the verdicts and the report they rest on commit together.
   */
  private async store(writes: Write[]): Promise<Saved[]> {
    const params = [...WRITE_INPUT.values(writes), this.config.notify.maxAttempts];
    if (!writes.some((x) => x.evaluated)) return preparedQuery<Saved>(this.db, 'check-in-write', WRITE_SQL, params);
    const notificationIds: string[] = [];
    const saved = await this.db.transaction(async (tx) => {
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
    });
    // Durable with the verdict; queued now (the outbox sweep would also find them).
    if (notificationIds.length) await this.outbox.dispatch(notificationIds);
    return saved;
  }
}

/** The answer for a written submission, from what was sent (no read back). */
function submitted(x: Write, firstSubmittedAt: string): Submitted {
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
    submittedAt: x.now.toISOString(),
    submittedBy: x.s.userId,
    channels: {
      direct: dto.channels.direct,
      mobile: dto.channels.mobile,
      self: dto.channels.self,
      electronic: dto.channels.electronic,
    },
    firstSubmittedAt,
  };
  return { created, outcome: created ? 'created' : 'revised', checkIn: view(x.s, stored, x.deadline) };
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
