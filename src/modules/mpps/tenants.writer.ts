import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { agencyMatcher } from '../agencies/agency.rules';
import { AgenciesService } from '../agencies/agencies.service';
import { planTenantChanges, StoredTenant } from './tenant.rules';

export interface TenantList {
  mppId: string;
  tenants: { name: string; services: string[] }[];
}

/**
 * The one writer of `mpp_tenants`: sets the tenant lists of many MPPs in a few set-based
 * statements, keeping the ids of tenants still listed (check-ins name served tenants by id) and
 * pointing each at its agency of the national list.
 */
@Injectable()
export class TenantsWriter {
  constructor(private readonly agencies: AgenciesService) {}

  async replace(tx: EntityManager, lists: TenantList[]): Promise<void> {
    if (!lists.length) return;
    const mppIds = lists.map((l) => l.mppId);
    const agencyOf = agencyMatcher(await this.agencies.list(tx));
    const stored: (StoredTenant & { mppId: string })[] = await tx.query(
      `SELECT id, mpp_id AS "mppId", name, agency_code AS "agencyCode" FROM mpp_tenants WHERE mpp_id = ANY($1::uuid[]) ORDER BY position`,
      [mppIds],
    );
    const storedOf = new Map<string, StoredTenant[]>();
    for (const s of stored) storedOf.set(s.mppId, [...(storedOf.get(s.mppId) ?? []), s]);
    const kept: object[] = [];
    const added: object[] = [];
    const removed: string[] = [];
    for (const { mppId, tenants } of lists) {
      const next = tenants.map((t) => ({ name: t.name, services: t.services, agencyCode: agencyOf(t.name) }));
      const changes = planTenantChanges(storedOf.get(mppId) ?? [], next);
      kept.push(...changes.kept);
      added.push(...changes.added.map((t) => ({ ...t, mppId })));
      removed.push(...changes.removedIds);
    }
    if (removed.length) await tx.query(`DELETE FROM mpp_tenants WHERE id = ANY($1::uuid[])`, [removed]);
    if (kept.length)
      await tx.query(
        `UPDATE mpp_tenants t SET position = x.position, name = x.name, services = x.services, agency_code = x."agencyCode"
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, position smallint, name text, services text[], "agencyCode" text)
          WHERE t.id = x.id`,
        [JSON.stringify(kept)],
      );
    if (added.length)
      await tx.query(
        `INSERT INTO mpp_tenants (mpp_id, position, name, services, agency_code)
         SELECT x."mppId", x.position, x.name, x.services, x."agencyCode"
           FROM jsonb_to_recordset($1::jsonb) AS x("mppId" uuid, position smallint, name text, services text[], "agencyCode" text)`,
        [JSON.stringify(added)],
      );
    await tx.query(
      `UPDATE mpps m SET tenant_count = (SELECT count(*) FROM mpp_tenants t WHERE t.mpp_id = m.id) WHERE m.id = ANY($1::uuid[])`,
      [mppIds],
    );
  }
}
