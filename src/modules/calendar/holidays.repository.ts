import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, raw, run, runChange, sql, where } from '../../database/sql';

const COLUMNS = raw(`to_char(date, 'YYYY-MM-DD') AS date, kind, name`);

export interface HolidayRow {
  date: string;
  kind: string;
  name: string;
}

/** The `holidays` table: every query on it. */
@Injectable()
export class HolidaysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(year?: number): Promise<HolidayRow[]> {
    return run(this.db, sql`SELECT ${COLUMNS} FROM holidays ${where([year && sql`extract(year FROM date) = ${year}`])} ORDER BY date`);
  }

  /** The new holiday, or undefined when the date is one already. */
  insert(tx: EntityManager, h: HolidayRow, by: string): Promise<HolidayRow | undefined> {
    return one(
      tx,
      sql`INSERT INTO holidays (date, kind, name, created_by) VALUES (${h.date}, ${h.kind}, ${h.name}, ${by})
          ON CONFLICT (date) DO NOTHING RETURNING ${COLUMNS}`,
    );
  }

  /** The removed holiday, or undefined when the date was none. */
  async delete(tx: EntityManager, date: string): Promise<HolidayRow | undefined> {
    return (await runChange<HolidayRow>(tx, sql`DELETE FROM holidays WHERE date = ${date}::date RETURNING ${COLUMNS}`))[0];
  }
}
