import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import type { Principal } from '../../common/auth/principal';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { isCalendarDate, localDate } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { CreateClosureDto } from './closures.dto';
import { MppsService } from './mpps.service';

const MAX_DAYS = 366;

/** Planned closures: declared ahead by the MPP's manager (an admin may also record past ones). */
@Injectable()
export class ClosuresService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async declare(user: Principal, mppId: string, dto: CreateClosureDto) {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'manager' && user.role !== 'admin') throw AppError.forbidden("Only the MPP's manager or an admin declares a closure");
    const [mpp] = await this.db.query(`SELECT p.timezone FROM mpps m JOIN provinces p ON p.code = m.province_code WHERE m.id = $1`, [
      mppId,
    ]);
    const today = localDate(this.clock.now(), mpp.timezone as IndonesianTimezone);
    const problems = [];
    if (!isCalendarDate(dto.from)) problems.push({ field: 'from', problem: 'from is not a real date' });
    if (!isCalendarDate(dto.to)) problems.push({ field: 'to', problem: 'to is not a real date' });
    if (!problems.length && dto.to < dto.from) problems.push({ field: 'to', problem: 'to must not be before from' });
    if (!problems.length && (Date.parse(dto.to) - Date.parse(dto.from)) / 86_400_000 + 1 > MAX_DAYS)
      problems.push({ field: 'to', problem: `a closure spans at most ${MAX_DAYS} days` });
    // Declared ahead: a manager cannot excuse days already past (today included is fine).
    if (!problems.length && user.role === 'manager' && dto.from < today)
      problems.push({ field: 'from', problem: `a planned closure starts today (${today}) or later` });
    if (problems.length) throw AppError.validation(problems.map((p) => p.problem).join('; '), problems);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO planned_closures (mpp_id, from_date, to_date, kind, reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, mpp_id AS "mppId", to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", kind, reason,
                 created_by AS "createdBy", created_at AS "createdAt"`,
        [mppId, dto.from, dto.to, dto.kind ?? 'other', dto.reason, user.id, this.clock.now()],
      );
      await this.audit.record(tx, 'closure.declare', 'mpp', mppId, null, {
        closureId: row.id,
        from: row.from,
        to: row.to,
        kind: row.kind,
        reason: row.reason,
      });
      return row;
    });
  }

  async list(user: Principal, mppId: string) {
    await this.mpps.assertVisible(user, mppId);
    return this.db.query(
      `SELECT id, mpp_id AS "mppId", to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", kind, reason,
              created_by AS "createdBy", created_at AS "createdAt"
         FROM planned_closures WHERE mpp_id = $1 ORDER BY from_date DESC`,
      [mppId],
    );
  }
}
