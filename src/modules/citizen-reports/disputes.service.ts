import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { MppsService } from '../mpps/mpps.service';
import { CitizenReportsRepository } from './citizen-reports.repository';
import { disputedWeeks, type DisputedWeek } from './dispute-evidence';

/**
 * The bureau's view of disputed weeks, with the evidence (citizens' reports with their notes,
 * the days machines saw activity), and its confirmation: only a confirmed dispute makes the
 * public page say `limited`.
 */
@Injectable()
export class DisputesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: CitizenReportsRepository,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The MPP's last disputed weeks, each with its evidence summed up for the bureau. `known`: the
   * MPP's province as the caller already read it (a flag page), checked against the user's scope
   * without reading it again.
   */
  async list(
    user: Principal,
    mppId: string,
    known?: { provinceCode: string },
  ): Promise<Omit<DisputedWeek, 'mppId' | 'provinceCode' | 'mppName' | 'regencyName' | 'hasSignalSource'>[]> {
    await this.mpps.assertVisible(user, mppId, known);
    const weeks = await disputedWeeks(this.db.manager, { mppId });
    return weeks.map(({ mppId: _m, provinceCode: _p, mppName: _n, regencyName: _r, hasSignalSource: _s, ...week }) => week);
  }

  /** The bureau (or an admin) confirms a disputed week: the public page then says `limited`. Audited. */
  async confirm(user: Principal, mppId: string, week: string): Promise<{ week: string; confirmedAt: string }> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'admin' && user.role !== 'bureau') throw AppError.forbidden('Only the bureau or an admin confirms a dispute');
    return this.db.transaction(async (tx) => {
      const confirmed = await this.reports.confirmDispute(tx, mppId, week, this.clock.now(), user.id);
      if (!confirmed) throw AppError.notFound('Disputed week');
      await this.audit.record(tx, 'evaluation.dispute.confirm', 'mpp', mppId, null, { week });
      return confirmed;
    });
  }
}
