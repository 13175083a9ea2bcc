import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { isCalendarDate } from '../../common/time/iso-week';
import { CreateHolidayDto } from './holidays.dto';
import { one, raw, run, runChange, sql, where } from '../../database/sql';

const COLUMNS = raw(`to_char(date, 'YYYY-MM-DD') AS date, kind, name`);

/** National holidays and cuti bersama: they lower the days an MPP is expected to open. */
@Injectable()
export class HolidaysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  list(year?: number) {
    return run(this.db, sql`SELECT ${COLUMNS} FROM holidays ${where([year && sql`extract(year FROM date) = ${year}`])} ORDER BY date`);
  }

  async add(user: Principal, dto: CreateHolidayDto) {
    if (!isCalendarDate(dto.date)) {
      throw AppError.validation('date is not a real date', [{ field: 'date', problem: 'date is not a real date' }]);
    }
    return this.db.transaction(async (tx) => {
      const row = await one(
        tx,
        sql`INSERT INTO holidays (date, kind, name, created_by) VALUES (${dto.date}, ${dto.kind}, ${dto.name}, ${user.id})
            ON CONFLICT (date) DO NOTHING RETURNING ${COLUMNS}`,
      );
      if (!row) throw AppError.conflict(`${dto.date} is already a holiday`);
      await this.audit.record(tx, 'holiday.add', 'holiday', dto.date, null, row, user);
      return row;
    });
  }

  async remove(date: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await runChange(tx, sql`DELETE FROM holidays WHERE date = ${date}::date RETURNING ${COLUMNS}`);
      if (!rows.length) throw AppError.notFound(`Holiday ${date}`);
      await this.audit.record(tx, 'holiday.remove', 'holiday', date, rows[0], null);
    });
  }
}
