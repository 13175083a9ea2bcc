import type { EntityManager } from 'typeorm';
import type { HolidaySet } from '../../common/time/iso-week';

/** National holidays and cuti bersama between two dates, as the set the pure time rules take. */
export async function holidayDates(db: Pick<EntityManager, 'query'>, from: string, to: string): Promise<HolidaySet> {
  const rows: { d: string }[] = await db.query(
    `SELECT to_char(date, 'YYYY-MM-DD') AS d FROM holidays WHERE date BETWEEN $1::date AND $2::date`,
    [from, to],
  );
  return new Set(rows.map((r) => r.d));
}
