import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { run, sql } from '../../database/sql';

/** The `spent_links` table (check-in links already used): every query on it. */
@Injectable()
export class SpentLinksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async contains(jti: string): Promise<boolean> {
    return (await run(this.db, sql`SELECT 1 FROM spent_links WHERE jti = ${jti}`)).length > 0;
  }

  /** False when the link was spent already. */
  async add(jti: string, db: DataSource | EntityManager = this.db): Promise<boolean> {
    return (await run(db, sql`INSERT INTO spent_links (jti) VALUES (${jti}) ON CONFLICT DO NOTHING RETURNING jti`)).length > 0;
  }

  async remove(jti: string): Promise<void> {
    await run(this.db, sql`DELETE FROM spent_links WHERE jti = ${jti}`);
  }
}
