import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { AgencyView, CreateAgencyDto } from './agencies.dto';
import { agencyMatcher } from './agency.rules';
import { AgenciesRepository } from './agencies.repository';

/** The national list of tenant agencies (owner of `agencies`, and of `mpp_tenants.agency_code`). */
@Injectable()
export class AgenciesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly agencies: AgenciesRepository,
    private readonly audit: AuditLog,
  ) {}

  list(db: EntityManager = this.db.manager): Promise<AgencyView[]> {
    return this.agencies.list(db);
  }

  async create(dto: CreateAgencyDto): Promise<AgencyView> {
    const agency = { code: dto.code, name: dto.name, aliases: dto.aliases ?? [] };
    await this.db.transaction(async (tx) => {
      if (!(await this.agencies.insert(tx, agency))) throw AppError.conflict(`An agency with code ${agency.code} already exists`);
      // Tenants registered before the agency existed point at it now when their name matches.
      await this.linkUnmatchedTenants(tx);
      await this.audit.record(tx, 'agency.create', 'agency', null, null, agency);
    });
    return agency;
  }

  private async linkUnmatchedTenants(tx: EntityManager): Promise<void> {
    const agencies = await this.list(tx);
    const tenants = await this.agencies.tenantsWithoutAgency(tx);
    await this.setCodes(tx, agencies, tenants);
  }

  private async setCodes(tx: EntityManager, agencies: AgencyView[], tenants: { id: string; name: string }[]): Promise<void> {
    const agencyOf = agencyMatcher(agencies);
    const matched = tenants.map((t) => ({ id: t.id, code: agencyOf(t.name) }));
    await this.agencies.linkTenants(tx, matched);
  }
}
