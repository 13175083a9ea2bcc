import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { EntityManager } from 'typeorm';
import { agencyMatcher } from '../agencies/agency.rules';
import { AgenciesService } from '../agencies/agencies.service';
import { planTenantChanges, StoredTenant } from './tenant.rules';
import { run, sql } from '../../database/sql';
import { MppsRepository } from './mpps.repository';

export interface TenantList {
  mppId: string;
  /** `id` and `agencyCode` when the caller knows them (the admin page); the registry sends names only. */
  tenants: { id?: string; name: string; services: string[]; agencyCode?: string | null }[];
}

/**
 * The one writer of `mpp_tenants`: sets the tenant lists of many MPPs in a few set-based
 * statements, keeping the ids of tenants still listed (check-ins name served tenants by id) and
 * pointing each at its agency of the national list.
 */
@Injectable()
export class TenantsWriter {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly mpps: MppsRepository,
  ) {}

  async replace(tx: EntityManager, lists: TenantList[]): Promise<void> {
    if (!lists.length) return;
    const mppIds = lists.map((l) => l.mppId);
    const agencies = await this.agencies.list(tx);
    const agencyOf = agencyMatcher(agencies);
    const known = new Set(agencies.map((a) => a.code));
    const unknownAgencies = lists.flatMap((l) =>
      l.tenants.flatMap((t) => (t.agencyCode && !known.has(t.agencyCode) ? [t.agencyCode] : [])),
    );
    if (unknownAgencies.length)
      throw AppError.validation(`unknown agency ${unknownAgencies.join(', ')}`, [
        { field: 'tenants', problem: `unknown agency ${unknownAgencies.join(', ')}` },
      ]);
    const stored = await run<StoredTenant & { mppId: string }>(
      tx,
      sql`SELECT id, mpp_id AS "mppId", name, agency_code AS "agencyCode" FROM mpp_tenants WHERE mpp_id = ANY(${mppIds}::uuid[]) ORDER BY position`,
    );
    const storedOf = new Map<string, StoredTenant[]>();
    for (const s of stored) storedOf.set(s.mppId, [...(storedOf.get(s.mppId) ?? []), s]);
    const kept: object[] = [];
    const added: object[] = [];
    const removed: string[] = [];
    for (const { mppId, tenants } of lists) {
      const next = tenants.map((t) => ({
        ...(t.id !== undefined ? { id: t.id } : {}),
        name: t.name,
        services: t.services,
        agencyCode: t.agencyCode !== undefined ? t.agencyCode : agencyOf(t.name),
      }));
      const before = new Map((storedOf.get(mppId) ?? []).map((s) => [s.id, s.agencyCode]));
      const changes = planTenantChanges(storedOf.get(mppId) ?? [], next);
      if (changes.unknownIds.length)
        throw AppError.validation(`tenant ${changes.unknownIds.join(', ')} is not one of this MPP's tenants`, [
          { field: 'tenants', problem: `unknown tenant id ${changes.unknownIds.join(', ')}` },
        ]);
      // An agency chosen by hand for a name that says nothing stays when the agency is not sent.
      kept.push(
        ...changes.kept.map((k) =>
          k.agencyCode === null && tenants[k.position].agencyCode === undefined ? { ...k, agencyCode: before.get(k.id) ?? null } : k,
        ),
      );
      added.push(...changes.added.map((t) => ({ ...t, mppId })));
      removed.push(...changes.removedIds);
    }
    if (removed.length) await run(tx, sql`DELETE FROM mpp_tenants WHERE id = ANY(${removed}::uuid[])`);
    if (kept.length)
      await run(
        tx,
        sql`UPDATE mpp_tenants t SET position = x.position, name = x.name, services = x.services, agency_code = x."agencyCode"
              FROM jsonb_to_recordset(${JSON.stringify(kept)}::jsonb) AS x(id uuid, position smallint, name text, services text[], "agencyCode" text)
             WHERE t.id = x.id`,
      );
    if (added.length)
      await run(
        tx,
        sql`INSERT INTO mpp_tenants (mpp_id, position, name, services, agency_code)
            SELECT x."mppId", x.position, x.name, x.services, x."agencyCode"
              FROM jsonb_to_recordset(${JSON.stringify(added)}::jsonb) AS x("mppId" uuid, position smallint, name text, services text[], "agencyCode" text)`,
      );
    await this.mpps.recountTenants(tx, mppIds);
  }
}
