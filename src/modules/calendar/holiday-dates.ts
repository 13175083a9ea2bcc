import type { DataSource, EntityManager } from 'typeorm';
import type { HolidaySet } from '../../common/time/iso-week';
import { runPrepared } from '../../database/prepared';
import { sql } from '../../database/sql';

/**
 * National holidays and cuti bersama between two dates, as the set the pure time rules take.
 * Prepared: pages read it on every request (a manager's check-in list, a form).
 */
export async function holidayDates(db: DataSource | EntityManager, from: string, to: string): Promise<HolidaySet> {
  const rows = await runPrepared<{ d: string }>(
    db,
    'holiday-dates',
    sql`SELECT to_char(date, 'YYYY-MM-DD') AS d FROM holidays WHERE date BETWEEN ${from}::date AND ${to}::date`,
  );
  return new Set(rows.map((r) => r.d));
}
