import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { run, sql } from '../../database/sql';
import type { AgencyView } from './agencies.dto';

/** The `agencies` table, and the agency a tenant is linked to (`mpp_tenants.agency_code`, which this feature owns). */
@Injectable()
export class AgenciesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(db: DataSource | EntityManager = this.db): Promise<AgencyView[]> {
    return run(db, sql`SELECT code, name, aliases FROM agencies ORDER BY code`);
  }

  /** False when an agency with the code exists already. */
  async insert(tx: EntityManager, agency: AgencyView): Promise<boolean> {
    const rows = await run(
      tx,
      sql`INSERT INTO agencies (code, name, aliases) VALUES (${agency.code}, ${agency.name}, ${agency.aliases})
          ON CONFLICT (code) DO NOTHING RETURNING code`,
    );
    return rows.length > 0;
  }

  tenantsWithoutAgency(tx: EntityManager): Promise<{ id: string; name: string }[]> {
    return run(tx, sql`SELECT id, name FROM mpp_tenants WHERE agency_code IS NULL`);
  }

  /** Links each tenant to its agency (or none), in one statement. */
  async linkTenants(tx: EntityManager, links: { id: string; code: string | null }[]): Promise<void> {
    await run(
      tx,
      sql`UPDATE mpp_tenants t SET agency_code = x.code FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS x(id uuid, code text)
           WHERE t.id = x.id AND t.agency_code IS DISTINCT FROM x.code`,
    );
  }
}
