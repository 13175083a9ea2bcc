import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { Metrics } from '../../common/observability/metrics';
import type { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { CyclesService } from '../cycles/cycles.service';
import { EvaluationService } from '../cycles/evaluation.service';
import { addDays, IsoWeek, mondayOf, weekTimes } from '../cycles/iso-week';
import { MppsService } from '../mpps/mpps.service';
import type { IndonesianTimezone } from '../regions/timezones';
import { CheckInDto, CheckInView } from './check-ins.dto';

const FIELDS = `days_open AS "daysOpen", tenants_serving AS "tenantsServing", counters_open AS "countersOpen", visitors, transactions,
  json_build_object('direct', channel_direct, 'mobile', channel_mobile, 'self', channel_self, 'electronic', channel_electronic) AS channels,
  status, closure_reason AS "closureReason", problems, late, submitted_at AS "submittedAt", submitted_by AS "submittedBy", revision`;

@Injectable()
export class CheckInsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly cycles: CyclesService,
    private readonly evaluation: EvaluationService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Creates or revises the week's check-in. The same body again makes no revision. A check-in for
   * a week already evaluated re-evaluates that MPP in the same transaction, so the verdict and the
   * report it rests on are durable together.
   */
  async submit(user: Principal, mppId: string, week: IsoWeek, dto: CheckInDto): Promise<{ created: boolean; checkIn: CheckInView }> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'manager') throw AppError.forbidden('Only the MPP\'s manager submits its check-in');
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      // Serialises concurrent submissions for the same MPP and week.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`check-in:${mppId}:${week}`]);
      const [mpp] = await tx.query(
        `SELECT m.active, to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn", m.tenant_count AS "tenantCount", p.timezone
           FROM mpps m JOIN provinces p ON p.code = m.province_code WHERE m.id = $1`,
        [mppId],
      );
      const times = weekTimes(week, mpp.timezone as IndonesianTimezone);
      if (now < times.windowOpensAt) {
        throw AppError.conflict(`Check-ins for ${week} open on Friday, ${times.windowOpensAt.toISOString()}`, 'check_in_not_open');
      }
      if (mpp.inauguratedOn && mpp.inauguratedOn > addDays(mondayOf(week), 6)) {
        throw AppError.conflict(`This MPP was inaugurated on ${mpp.inauguratedOn}, after ${week}`, 'mpp_not_inaugurated');
      }
      if (!mpp.active) throw AppError.conflict('This MPP is retired from weekly monitoring', 'mpp_inactive');
      if (mpp.tenantCount > 0 && dto.tenantsServing > mpp.tenantCount) {
        throw AppError.validation(`tenantsServing (${dto.tenantsServing}) exceeds the ${mpp.tenantCount} registered tenants`, [
          { field: 'tenantsServing', problem: `must not exceed the ${mpp.tenantCount} registered tenants` },
        ]);
      }
      const lock = await this.cycles.lockState(tx, week);
      if (lock.locked) throw AppError.conflict(`${week} is locked; ask an admin to unlock it for corrections`, 'week_locked');

      const [current] = await tx.query(`SELECT ${FIELDS} FROM check_ins WHERE mpp_id = $1 AND week = $2`, [mppId, week]);
      const late = now > times.deadline;
      if (current && sameBody(current, dto)) {
        this.metrics.checkIns.inc({ outcome: 'unchanged', late: String(late) });
        return { created: false, checkIn: this.view(mppId, week, current, times.deadline) };
      }

      const revision = (current?.revision ?? 0) + 1;
      // Columns shared by the current row and its revision: revision … submitted_by.
      const fields = [
        revision, dto.daysOpen, dto.tenantsServing, dto.countersOpen, dto.visitors, dto.transactions,
        dto.channels.direct, dto.channels.mobile, dto.channels.self, dto.channels.electronic, dto.status,
        dto.closureReason ?? null, dto.problems ?? null, late, now, user.id,
      ];
      const columns = `revision, days_open, tenants_serving, counters_open, visitors, transactions, channel_direct, channel_mobile,
                       channel_self, channel_electronic, status, closure_reason, problems, late, submitted_at, submitted_by`;
      const placeholders = fields.map((_, i) => `$${i + 3}`).join(', ');
      await tx.query(
        `INSERT INTO check_ins (mpp_id, week, ${columns}, week_start, first_submitted_at)
         VALUES ($1, $2, ${placeholders}, $${fields.length + 3}, $${fields.indexOf(now) + 3})
         ON CONFLICT (mpp_id, week) DO UPDATE SET
           revision = EXCLUDED.revision, days_open = EXCLUDED.days_open, tenants_serving = EXCLUDED.tenants_serving,
           counters_open = EXCLUDED.counters_open, visitors = EXCLUDED.visitors, transactions = EXCLUDED.transactions,
           channel_direct = EXCLUDED.channel_direct, channel_mobile = EXCLUDED.channel_mobile, channel_self = EXCLUDED.channel_self,
           channel_electronic = EXCLUDED.channel_electronic, status = EXCLUDED.status, closure_reason = EXCLUDED.closure_reason,
           problems = EXCLUDED.problems, submitted_at = EXCLUDED.submitted_at, submitted_by = EXCLUDED.submitted_by`,
        [mppId, week, ...fields, mondayOf(week)],
      );
      await tx.query(`INSERT INTO check_in_revisions (mpp_id, week, ${columns}) VALUES ($1, $2, ${placeholders})`, [mppId, week, ...fields]);
      if (lock.evaluated) await this.evaluation.run(tx, week, [mppId]);
      const [saved] = await tx.query(`SELECT ${FIELDS}, first_submitted_at AS "firstSubmittedAt" FROM check_ins WHERE mpp_id = $1 AND week = $2`, [mppId, week]);
      this.metrics.checkIns.inc({ outcome: current ? 'revised' : 'created', late: String(late) });
      return { created: !current, checkIn: this.view(mppId, week, saved, times.deadline) };
    });
  }

  async get(user: Principal, mppId: string, week: IsoWeek): Promise<CheckInView> {
    await this.mpps.assertVisible(user, mppId);
    const [row] = await this.db.query(
      `SELECT ${FIELDS}, first_submitted_at AS "firstSubmittedAt" FROM check_ins WHERE mpp_id = $1 AND week = $2`, [mppId, week],
    );
    if (!row) throw AppError.notFound(`Check-in for ${week}`);
    return this.view(mppId, week, row);
  }

  async revisions(user: Principal, mppId: string, week: IsoWeek): Promise<CheckInView[]> {
    await this.mpps.assertVisible(user, mppId);
    const rows = await this.db.query(`SELECT ${FIELDS} FROM check_in_revisions WHERE mpp_id = $1 AND week = $2 ORDER BY revision`, [mppId, week]);
    if (!rows.length) throw AppError.notFound(`Check-in for ${week}`);
    return rows.map((r: any) => this.view(mppId, week, r));
  }

  private view(mppId: string, week: string, row: any, deadline?: Date): CheckInView {
    return {
      mppId, week, revision: row.revision, daysOpen: row.daysOpen, tenantsServing: row.tenantsServing, countersOpen: row.countersOpen,
      visitors: row.visitors, transactions: row.transactions, channels: row.channels, status: row.status,
      closureReason: row.closureReason, problems: row.problems, late: row.late,
      submittedAt: new Date(row.submittedAt).toISOString(), submittedBy: row.submittedBy,
      ...(row.firstSubmittedAt ? { firstSubmittedAt: new Date(row.firstSubmittedAt).toISOString() } : {}),
      ...(deadline ? { deadline: deadline.toISOString() } : {}),
    };
  }
}

function sameBody(current: any, dto: CheckInDto): boolean {
  return (
    current.daysOpen === dto.daysOpen && current.tenantsServing === dto.tenantsServing && current.countersOpen === dto.countersOpen &&
    current.visitors === dto.visitors && current.transactions === dto.transactions && current.status === dto.status &&
    (current.closureReason ?? null) === (dto.closureReason ?? null) && (current.problems ?? null) === (dto.problems ?? null) &&
    current.channels.direct === dto.channels.direct && current.channels.mobile === dto.channels.mobile &&
    current.channels.self === dto.channels.self && current.channels.electronic === dto.channels.electronic
  );
}

