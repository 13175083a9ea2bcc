import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors';
import { localDate } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { FlagsService } from '../flags/flags.service';
import { refreshWeeklyReport } from '../reports/report-weekly.repository';
import { RetireMppDto, RetirementView } from './mpps.dto';
import { MppsRepository } from './mpps.repository';
import { CyclesRepository } from '../cycles/cycles.repository';

/**
 * Retiring an MPP that closed for good: out of monitoring from the day after `on` (no check-ins
 * for later weeks, no reminders, not evaluated from the week after), its history kept, its open
 * flag resolved by the system with the reason, `closed` in coverage.
 */
@Injectable()
export class RetirementService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsRepository,
    private readonly cycles: CyclesRepository,
    private readonly flags: FlagsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async retire(mppId: string, dto: RetireMppDto): Promise<RetirementView> {
    return this.db.transaction(async (tx) => {
      const mpp = await this.mpps.lockForRetirement(tx, mppId);
      if (!mpp) throw AppError.notFound('MPP');
      if (mpp.retiredOn) throw AppError.conflict('This MPP is already retired', 'mpp_retired');
      const today = localDate(this.clock.now(), mpp.timezone as IndonesianTimezone);
      if (dto.on > today) throw AppError.validation('on must not be after today', [{ field: 'on', problem: `must not be after ${today}` }]);
      await this.mpps.retire(tx, mppId, dto.on, dto.reason, this.clock.now());
      // Weeks after `on` already evaluated lose its result, and their report its count.
      const dropped = await this.cycles.dropEvaluationsAfter(tx, mppId, dto.on);
      for (const week of dropped) await refreshWeeklyReport(tx, week, [mpp.provinceCode], this.clock.now());
      const resolvedFlag = await this.flags.resolveForRetirement(tx, mppId, `MPP dipensiunkan per ${dto.on}: ${dto.reason}`);
      const view: RetirementView = {
        id: mppId,
        active: false,
        retiredOn: dto.on,
        retirementReason: dto.reason,
        resolvedFlagId: resolvedFlag,
      };
      await this.audit.record(tx, 'mpp.retire', 'mpp', mppId, { active: true }, view);
      return view;
    });
  }
}
