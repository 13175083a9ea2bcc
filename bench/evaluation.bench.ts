import { NotificationPlanner } from '../src/modules/notifications/notification.planner';
import { DataSource } from 'typeorm';
import { AuditLog } from '../src/common/audit/audit-log';
import { Clock } from '../src/common/clock';
import { Metrics } from '../src/common/observability/metrics';
import { dataSourceOptions } from '../src/database/data-source';
import { EvaluationService } from '../src/modules/cycles/evaluation.service';
import { EvaluationSettingsService } from '../src/modules/cycles/evaluation-settings.service';
import { SettingsRepository } from '../src/modules/cycles/settings.repository';
import { CyclesRepository } from '../src/modules/cycles/cycles.repository';
import { UsersRepository } from '../src/modules/users/users.repository';
import { EVALUATION_INPUT_SQL, EVALUATION_SESSION, evaluationInputParams } from '../src/modules/cycles/evaluation.queries';
import { addWeeks, cycleTimes, mondayOf } from '../src/common/time/iso-week';
import { FlagsRepository } from '../src/modules/flags/flags.repository';
import { FlagsService } from '../src/modules/flags/flags.service';
import { generateNationalData, generateSignals } from './national-data';
import { benchDatabase, ScenarioResult, withPeakRss } from './support';

const WEEK = '2026-W40';
const HISTORY_WEEKS = 12;

interface Floor {
  readMs: number;
  writeMs: number;
}

/**
 * What the evaluation cannot beat, measured on the same data right after it: one plain query of
 * the input rows it reads (same statement, no cursor), and one INSERT … SELECT of as many
 * evaluation rows into the same table and indexes (rolled back), with no client work at all.
 */
async function bareFloor(db: DataSource, week: string, rows: number): Promise<Floor> {
  const { medianWeeks } = await new EvaluationSettingsService(db, new SettingsRepository(db), new UsersRepository(db), new AuditLog()).get(
    db.manager,
  );
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    // The read under the evaluation's own transaction settings, so both pay (or skip) the same planning.
    await runner.startTransaction();
    for (const statement of EVALUATION_SESSION) await runner.query(statement);
    let started = performance.now();
    const input: unknown[] = await runner.query(`${EVALUATION_INPUT_SQL} ORDER BY m.id`, evaluationInputParams(week, medianWeeks, null));
    const readMs = Math.round(performance.now() - started);
    if (input.length !== rows) throw new Error(`the floor read ${input.length} rows, the evaluation ${rows}`);
    const other = addWeeks(week, 1);
    started = performance.now();
    await runner.query(
      `INSERT INTO evaluations (week, week_start, evaluated_at, mpp_id, province_code, result, rules, expected_days, reported, on_time, not_reporting_streak, disputed)
       SELECT $1, $2::date, now(), id, province_code, 'active', '{}', 5, true, true, 0, false FROM mpps ORDER BY id LIMIT $3`,
      [other, mondayOf(other), rows],
    );
    const writeMs = Math.round(performance.now() - started);
    await runner.rollbackTransaction();
    return { readMs, writeMs };
  } finally {
    await runner.release();
  }
}

interface Run {
  ms: number;
  peakRssMb: number;
  generateMs: number;
  phases: string;
  floor: Floor;
}

/** `withSignals`: every MPP also has a signal source that pinged every day. */
async function evaluateOnce(size: number, withSignals = false): Promise<Run> {
  const database = await benchDatabase(`eval${size}${withSignals ? 's' : ''}`);
  const db = new DataSource({ ...dataSourceOptions(database.url), extra: { max: 4 } });
  await db.initialize();
  try {
    const generateStarted = performance.now();
    await generateNationalData(db, size, WEEK, HISTORY_WEEKS);
    if (withSignals) await generateSignals(db, WEEK, HISTORY_WEEKS);
    const generateMs = Math.round(performance.now() - generateStarted);
    const clock = new Clock();
    const evaluation = new EvaluationService(
      new EvaluationSettingsService(db, new SettingsRepository(db), new UsersRepository(db), new AuditLog()),
      new CyclesRepository(db),
      new FlagsService(db, new FlagsRepository(db), clock, new AuditLog()),
      clock,
      new Metrics(),
      // Whole-cycle runs decide no same-day additions (those follow late check-ins only).
      { planAdditions: async () => [] } as unknown as NotificationPlanner,
    );
    const previous = addWeeks(WEEK, -1);
    await db.query(
      `INSERT INTO cycles (week, week_start, starts_at, deadline_wib, evaluate_due_at) VALUES ($1, $2, $3, $4, $4), ($5, $6, $7, $8, $8)`,
      [
        previous,
        '2026-09-21',
        cycleTimes(previous).startsAt,
        cycleTimes(previous).deadlineWib,
        WEEK,
        '2026-09-28',
        cycleTimes(WEEK).startsAt,
        cycleTimes(WEEK).deadlineWib,
      ],
    );
    // The previous week first, so streaks and open flags exist as they would in production.
    await db.transaction((tx) => evaluation.run(tx, previous));
    global.gc?.();
    const {
      result: [ms, summary],
      peakRssMb,
    } = await withPeakRss(async () => {
      const started = performance.now();
      const run = await db.transaction((tx) => evaluation.run(tx, WEEK));
      return [Math.round(performance.now() - started), run] as const;
    });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM evaluations WHERE week = $1`, [WEEK]);
    if (n < size * 0.99) throw new Error(`expected ~${size} evaluations, found ${n}`);
    if (withSignals) {
      const [{ disputed }] = await db.query(
        `SELECT count(*)::int AS disputed FROM evaluations WHERE week = $1 AND 'contradicted_by_signals' = ANY(rules)`,
        [WEEK],
      );
      // About 1% of MPPs went silent after Monday (generateSignals); none disputed means the signals went unread.
      if (disputed < size * 0.003 || disputed > size * 0.02) throw new Error(`${disputed} weeks disputed by signals of ${size}`);
    }
    const floor = await bareFloor(db, WEEK, n);
    return {
      ms,
      peakRssMb,
      generateMs,
      floor,
      phases: Object.entries(summary.phasesMs)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', '),
    };
  } finally {
    await db.destroy();
    await database.drop();
    await database.stop();
  }
}

const floorOf = (r: Run) => r.floor.readMs + r.floor.writeMs;
const ofFloor = (r: Run) => Math.round((r.ms / floorOf(r)) * 100) / 100;
const floorUnit = (r: Run) => `ms (read ${r.floor.readMs} + write ${r.floor.writeMs})`;

/**
 * One whole cycle at two national sizes, measured in the same run, and at the larger size again
 * with an activity signal for every MPP and day (issue 18: the reconciliation stays set-based).
 */
export async function evaluationScenario(quick: boolean): Promise<ScenarioResult> {
  const [small, large] = quick ? [2_000, 10_000] : [10_000, 100_000];
  const a = await evaluateOnce(small);
  const b = await evaluateOnce(large);
  const c = await evaluateOnce(large, true);
  const ratio = Math.round((b.ms / a.ms) * 100) / 100;
  const scale = large / small;
  const linear = Math.round(scale * 11) / 10;
  const n = (x: number) => x.toLocaleString('en');
  const reference = (r: Run) => (quick ? {} : { target: '≤ 2000 ms (reference machine)', met: r.ms <= 2000 });
  return {
    scenario: 'Evaluation of one weekly cycle',
    description:
      `${n(small)} and ${n(large)} MPPs over the 514 regencies, ${HISTORY_WEEKS} weeks of check-ins, ` +
      `~90% reporting, 1% under a planned closure; time of \`EvaluationService.run\` for ${WEEK} (one input query, the pure rules, ` +
      'one bulk insert per chunk, set-based flag updates, the weekly report) inside one transaction, after the previous week was ' +
      'evaluated, beside its floor measured on the same data in the same run (the input query alone, and an INSERT … SELECT of as ' +
      `many evaluation rows). Then ${n(large)} MPPs again, each with a signal source that pinged every day of the ` +
      `${HISTORY_WEEKS + 1} weeks (signal_days: one row per MPP and day), which the evaluation reconciles with the check-ins.`,
    figures: [
      { name: `evaluate ${n(small)} MPPs`, value: a.ms, unit: 'ms' },
      { name: `evaluate ${n(large)} MPPs`, value: b.ms, unit: 'ms', ...reference(b) },
      {
        name: `floor at ${n(large)}: bare read of the same input rows + bare INSERT … SELECT of as many evaluation rows`,
        value: floorOf(b),
        unit: `${floorUnit(b)}; at ${n(small)}: ${a.floor.readMs} + ${a.floor.writeMs}`,
      },
      { name: `evaluation / its floor, ${n(large)} MPPs`, value: ofFloor(b), unit: '×', target: '≤ 2', met: ofFloor(b) <= 2 },
      { name: `time ratio (${scale}× the MPPs)`, value: ratio, unit: '×', target: `≤ ${linear} (linear)`, met: ratio <= linear },
      {
        name: `peak RSS of the process, ${n(large)} MPPs`,
        value: b.peakRssMb,
        unit: 'MB',
        ...(quick ? {} : { target: '≤ 300 MB', met: b.peakRssMb <= 300 }),
      },
      { name: `data generation, ${n(large)} MPPs × ${HISTORY_WEEKS + 1} weeks`, value: b.generateMs, unit: 'ms' },
      { name: `with activity signals: evaluate ${n(large)} MPPs`, value: c.ms, unit: 'ms', ...reference(c) },
      { name: `with activity signals: floor at ${n(large)}`, value: floorOf(c), unit: floorUnit(c) },
      {
        name: `with activity signals: evaluation / its floor, ${n(large)} MPPs`,
        value: ofFloor(c),
        unit: '×',
        target: '≤ 2',
        met: ofFloor(c) <= 2,
      },
      {
        name: `with activity signals: peak RSS, ${n(large)} MPPs`,
        value: c.peakRssMb,
        unit: 'MB',
        ...(quick ? {} : { target: '≤ 300 MB', met: c.peakRssMb <= 300 }),
      },
      {
        name: `with activity signals: data generation (${n(large * 7 * (HISTORY_WEEKS + 1))} signal days)`,
        value: c.generateMs,
        unit: 'ms',
      },
    ],
    notes: [`phases at ${n(small)}: ${a.phases}`, `phases at ${n(large)}: ${b.phases}`, `phases at ${n(large)} with signals: ${c.phases}`],
  };
}
