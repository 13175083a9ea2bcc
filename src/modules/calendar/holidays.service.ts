import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import type { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { HolidaySet, isCalendarDate } from '../../common/time/iso-week';
import { holidayDates } from './holiday-dates';
import { CreateHolidayDto } from './holidays.dto';
import { HolidaysRepository } from './holidays.repository';

/** National holidays and cuti bersama: they lower the days an MPP is expected to open. */
@Injectable()
export class HolidaysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly holidays: HolidaysRepository,
    private readonly audit: AuditLog,
  ) {}

  list(year?: number) {
    return this.holidays.list(year);
  }

  /** The holiday dates between two dates, as the set the time rules take (a deadline moves over them). */
  datesBetween(from: string, to: string): Promise<HolidaySet> {
    return holidayDates(this.db, from, to);
  }

  async add(user: Principal, dto: CreateHolidayDto) {
    if (!isCalendarDate(dto.date)) {
      throw AppError.validation('date is not a real date', [{ field: 'date', problem: 'date is not a real date' }]);
    }
    return this.db.transaction(async (tx) => {
      const row = await this.holidays.insert(tx, dto, user.id);
      if (!row) throw AppError.conflict(`${dto.date} is already a holiday`);
      await this.audit.record(tx, 'holiday.add', 'holiday', dto.date, null, row, user);
      return row;
    });
  }

  async remove(date: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const removed = await this.holidays.delete(tx, date);
      if (!removed) throw AppError.notFound(`Holiday ${date}`);
      await this.audit.record(tx, 'holiday.remove', 'holiday', date, removed, null);
    });
  }
}
