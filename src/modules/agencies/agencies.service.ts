import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { AgencyView, CreateAgencyDto } from './agencies.dto';
import { agencyMatcher } from './agency.rules';

/** The national list of tenant agencies (owner of `agencies`, and of `mpp_tenants.agency_code`). */
@Injectable()
export class AgenciesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  list(db: EntityManager = this.db.manager): Promise<AgencyView[]> {
    return db.query(`SELECT code, name, aliases FROM agencies ORDER BY code`);
  }

  async create(dto: CreateAgencyDto): Promise<AgencyView> {
    const agency = { code: dto.code, name: dto.name, aliases: dto.aliases ?? [] };
    await this.db.transaction(async (tx) => {
      const rows: unknown[] = await tx.query(
        `INSERT INTO agencies (code, name, aliases) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING code`,
        [agency.code, agency.name, agency.aliases],
      );
      if (!rows.length) throw AppError.conflict(`An agency with code ${agency.code} already exists`);
      // Tenants registered before the agency existed point at it now when their name matches.
      await this.linkUnmatchedTenants(tx);
      await this.audit.record(tx, 'agency.create', 'agency', null, null, agency);
    });
    return agency;
  }

  private async linkUnmatchedTenants(tx: EntityManager): Promise<void> {
    const agencies = await this.list(tx);
    const tenants: { id: string; name: string }[] = await tx.query(`SELECT id, name FROM mpp_tenants WHERE agency_code IS NULL`);
    await this.setCodes(tx, agencies, tenants);
  }

  private async setCodes(tx: EntityManager, agencies: AgencyView[], tenants: { id: string; name: string }[]): Promise<void> {
    const agencyOf = agencyMatcher(agencies);
    const matched = tenants.map((t) => ({ id: t.id, code: agencyOf(t.name) }));
    await tx.query(
      `UPDATE mpp_tenants t SET agency_code = x.code FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, code text)
        WHERE t.id = x.id AND t.agency_code IS DISTINCT FROM x.code`,
      [JSON.stringify(matched)],
    );
  }
}
