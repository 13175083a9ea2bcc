import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { Metrics } from '../../common/observability/metrics';
import { FlagsService } from '../flags/flags.service';
import { refreshWeeklyReport } from '../reports/report-weekly.repository';
import { addDays, HolidaySet, IsoWeek, isoWeekday, mondayOf } from '../../common/time/iso-week';
import { evaluate, EvaluationSettings, median } from './evaluation.rules';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { CyclesRepository } from './cycles.repository';
import { holidayDates } from '../calendar/holiday-dates';
import { EVALUATION_DURATION } from './cycle.metrics';
import { NotificationPlanner } from '../notifications/notification.planner';
import {
  EVALUATION_INPUT_SQL,
  EVALUATION_SESSION,
  evaluationInputParams,
  INSERT_RESULTS,
  ResultRow,
  resultParams,
  UPSERT_RESULTS,
} from './evaluation.queries';

interface InputRow {
  id: string;
  provinceCode: string;
  openingDays: number[];
  inauguratedOn: string | null;
  registeredTenants: number;
  daysOpen: number | null;
  tenantsServing: number | null;
  visitors: number | null;
  transactions: number | null;
  status: string | null;
  late: boolean | null;
  prevStreak: number | null;
  history: number[] | null;
  closureDates: string[] | null;
  citizenClosedReports: number | null;
  hasSignalSource: boolean;
  signalDays: number | null;
}

export interface EvaluationRunSummary {
  week: IsoWeek;
  evaluated: number;
  durationMs: number;
  /** Emails decided by a partial run (a late check-in's same-day addition to the bureau); queue them after commit. */
  notificationIds?: string[];
  /** Where the time went: reading inputs, applying the rules, writing results, updating flags, the weekly report. */
  phasesMs: Phases;
}

type Phases = { read: number; rules: number; write: number; flags: number; report: number };

/** What a run works from, read once before the first MPP. */
interface RunContext {
  week: IsoWeek;
  /** Null for a whole-cycle run. */
  mppIds: string[] | null;
  now: Date;
  settings: EvaluationSettings;
  calendar: CalendarDay[];
}

/**
 * Evaluates a whole cycle set-based whatever the number of MPPs: one query of every input
 * (check-in, previous streak, transaction history, closures) read through a cursor 10,000 MPPs at
 * a time, the pure rules in memory, one bulk insert per chunk; then the flag updates and the
 * weekly report, also set-based.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger(EvaluationService.name);

  constructor(
    private readonly settings: EvaluationSettingsService,
    private readonly cycles: CyclesRepository,
    private readonly flags: FlagsService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly planner: NotificationPlanner,
  ) {}

  /**
   * Re-evaluates some MPPs from `week` on, inside the caller's transaction (a late check-in, a
   * correction, a closure decided): that week, then every later week already evaluated and still
   * open to corrections, in order, because each week's not-reporting streak (and any flag it
   * opened) rests on the week before. Locked weeks keep their results.
   */
  async reevaluate(tx: EntityManager, week: IsoWeek, mppIds: string[], notificationIds: string[] = []): Promise<IsoWeek[]> {
    const weeks = [week, ...(await this.cycles.evaluatedOpenWeeksAfter(tx, mondayOf(week), this.clock.now()))];
    // Emails these runs decide (a same-day addition for a flag they open) are collected for the caller to queue after commit.
    for (const w of weeks) notificationIds.push(...((await this.run(tx, w, mppIds)).notificationIds ?? []));
    return weeks;
  }

  /** Runs inside the caller's transaction; `mppIds` limits it to some MPPs (a late check-in). */
  async run(tx: EntityManager, week: IsoWeek, mppIds: string[] | null = null): Promise<EvaluationRunSummary> {
    const started = performance.now();
    const run = await this.prepare(tx, week, mppIds);
    const phase: Phases = { read: 0, rules: 0, write: 0, flags: 0, report: 0 };
    const { evaluated, provinces } = await this.evaluateInChunks(tx, run, phase);
    let mark = performance.now();
    await this.flags.applyEvaluation(tx, week, mppIds);
    // A late check-in that opened a flag after the week's bureau email: tell the bureau today.
    const notificationIds = mppIds ? await this.planner.planAdditions(tx, week, mppIds) : [];
    phase.flags = performance.now() - mark;
    mark = performance.now();
    await refreshWeeklyReport(tx, week, mppIds ? [...provinces] : null, run.now);
    phase.report = performance.now() - mark;
    return { ...this.record(run, evaluated, performance.now() - started, phase), notificationIds };
  }

  /**
   * The settings, the week's calendar and the instant; a whole-cycle run also tunes its
   * transaction for the one big read and empties the week, which also drops MPPs no longer
   * expected (retired before the week, inauguration moved). A partial run upserts its MPPs.
   */
  private async prepare(tx: EntityManager, week: IsoWeek, mppIds: string[] | null): Promise<RunContext> {
    const settings = await this.settings.get(tx);
    const monday = mondayOf(week);
    const holidays = await holidayDates(tx, monday, addDays(monday, 6));
    if (!mppIds) {
      for (const statement of EVALUATION_SESSION) await tx.query(statement);
      await this.cycles.dropWeekEvaluations(tx, week);
    }
    return { week, mppIds, now: this.clock.now(), settings, calendar: weekCalendar(monday, holidays) };
  }

  /**
   * Read through a cursor a chunk at a time, in MPP order: memory stays flat whatever the number
   * of MPPs, and each chunk's results go into the indexes in key order.
   */
  private async evaluateInChunks(
    tx: EntityManager,
    run: RunContext,
    phase: Phases,
  ): Promise<{ evaluated: number; provinces: Set<string> }> {
    const provinces = new Set<string>();
    let evaluated = 0;
    await tx.query(
      `DECLARE evaluation_input NO SCROLL CURSOR FOR ${EVALUATION_INPUT_SQL} ORDER BY m.id`,
      evaluationInputParams(run.week, run.settings.medianWeeks, run.mppIds),
    );
    const write = run.mppIds ? UPSERT_RESULTS : INSERT_RESULTS;
    for (;;) {
      let mark = performance.now();
      const rows: InputRow[] = await tx.query(`FETCH ${CHUNK} FROM evaluation_input`);
      phase.read += performance.now() - mark;
      if (!rows.length) break;

      mark = performance.now();
      const results = applyRules(run, rows);
      for (const r of results) provinces.add(r.provinceCode);
      phase.rules += performance.now() - mark;

      mark = performance.now();
      await tx.query(write, resultParams(run.week, run.now, results));
      phase.write += performance.now() - mark;
      evaluated += rows.length;
    }
    await tx.query(`CLOSE evaluation_input`);
    return { evaluated, provinces };
  }

  private record(run: RunContext, evaluated: number, totalMs: number, phase: Phases): EvaluationRunSummary {
    const phasesMs = Object.fromEntries(Object.entries(phase).map(([k, v]) => [k, ms(v)])) as Phases;
    const durationMs = ms(totalMs);
    const scope = run.mppIds ? 'mpps' : 'all';
    this.metrics.histogram(EVALUATION_DURATION).observe({ scope }, totalMs / 1000);
    this.logger.log({ event: 'evaluation_run', week: run.week, evaluated, scope, durationMs, phasesMs }, `Evaluated ${run.week}`);
    return { week: run.week, evaluated, durationMs, phasesMs };
  }
}

const ms = (x: number) => Math.round(x);

/** MPPs read, ruled and written at a time. */
const CHUNK = 10_000;

/** The pure rules over one chunk of input rows. */
function applyRules(run: RunContext, rows: InputRow[]): ResultRow[] {
  const { settings, calendar } = run;
  return rows.map((row) => {
    const out = evaluate(
      {
        checkIn:
          row.status === null
            ? null
            : {
                daysOpen: row.daysOpen!,
                tenantsServing: row.tenantsServing!,
                visitors: row.visitors!,
                transactions: row.transactions!,
                status: row.status as 'normal',
              },
        ...weekDays(calendar, row),
        registeredTenants: row.registeredTenants,
        previousNotReportingStreak: row.prevStreak ?? 0,
        transactionsPerDayMedian: median(row.history ?? [], settings.medianMinWeeks),
        signals: {
          citizenClosedReports: row.citizenClosedReports ?? 0,
          hasSignalSource: row.hasSignalSource,
          signalDays: row.signalDays ?? 0,
        },
      },
      settings,
    );
    return {
      mppId: row.id,
      provinceCode: row.provinceCode,
      result: out.result,
      rules: out.rules,
      expectedDays: out.expectedDays,
      reported: row.status !== null,
      onTime: row.status !== null && !row.late,
      streak: out.notReportingStreak,
      disputed: out.disputed,
    };
  });
}

interface CalendarDay {
  date: string;
  weekday: number;
  holiday: boolean;
}

/** The week's seven days, worked out once per run rather than once per MPP. */
function weekCalendar(monday: string, holidays: HolidaySet): CalendarDay[] {
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays(monday, i);
    return { date, weekday: isoWeekday(date), holiday: holidays.has(date) };
  });
}

/** Opening days of the MPP in this week (from inauguration on), and how many are holidays or closed. */
function weekDays(week: CalendarDay[], row: InputRow): { openingDays: number; holidayDays: number; closureDays: number } {
  let openingDays = 0,
    holidayDays = 0,
    closureDays = 0;
  for (const day of week) {
    if (!row.openingDays.includes(day.weekday)) continue;
    if (row.inauguratedOn && day.date < row.inauguratedOn) continue;
    openingDays++;
    if (day.holiday) holidayDays++;
    else if (row.closureDates?.includes(day.date)) closureDays++;
  }
  return { openingDays, holidayDays, closureDays };
}
