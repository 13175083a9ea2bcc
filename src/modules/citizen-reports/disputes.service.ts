import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { MppsService } from '../mpps/mpps.service';

/** Disputed weeks shown to officials: the last this many. */
const DISPUTED_WEEKS = 8;

/**
 * The bureau's view of disputed weeks, with the evidence (citizens' reports with their notes,
 * the days machines saw activity), and its confirmation: only a confirmed dispute makes the
 * public page say `limited`.
 */
@Injectable()
export class DisputesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(user: Principal, mppId: string): Promise<unknown[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.db.query(
      `SELECT e.week, e.result, e.rules, e.dispute_confirmed_at AS "confirmedAt", ci.days_open AS "daysOpenClaimed",
              coalesce((SELECT json_agg(json_build_object('kind', r.kind, 'visitedOn', to_char(r.visited_on, 'YYYY-MM-DD'),
                                 'agency', r.agency, 'note', r.note, 'at', r.created_at) ORDER BY r.created_at)
                          FROM citizen_reports r WHERE r.mpp_id = e.mpp_id AND r.week = e.week), '[]') AS "citizenReports",
              coalesce((SELECT json_agg(x ORDER BY x.date) FROM (
                          SELECT to_char(d.date, 'YYYY-MM-DD') AS date, sum(d.pings)::int AS pings
                            FROM signal_days d WHERE d.mpp_id = e.mpp_id AND d.date BETWEEN e.week_start AND e.week_start + 6
                           GROUP BY d.date) x), '[]') AS "signalDays"
         FROM evaluations e LEFT JOIN check_ins ci ON ci.mpp_id = e.mpp_id AND ci.week = e.week
        WHERE e.mpp_id = $1 AND e.disputed
        ORDER BY e.week_start DESC LIMIT ${DISPUTED_WEEKS}`,
      [mppId],
    );
  }

  /** The bureau (or an admin) confirms a disputed week: the public page then says `limited`. Audited. */
  async confirm(user: Principal, mppId: string, week: string): Promise<{ week: string; confirmedAt: string }> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'admin' && user.role !== 'bureau') throw AppError.forbidden('Only the bureau or an admin confirms a dispute');
    return this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE evaluations SET dispute_confirmed_at = coalesce(dispute_confirmed_at, $3), dispute_confirmed_by = coalesce(dispute_confirmed_by, $4)
          WHERE mpp_id = $1 AND week = $2 AND disputed RETURNING week, dispute_confirmed_at AS "confirmedAt"`,
        [mppId, week, this.clock.now(), user.id],
      );
      if (!rows?.length) throw AppError.notFound('Disputed week');
      await this.audit.record(tx, 'evaluation.dispute.confirm', 'mpp', mppId, null, { week });
      return rows[0];
    });
  }
}
