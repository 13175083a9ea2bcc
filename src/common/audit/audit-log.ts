import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';

/**
 * Appends to `audit_log` inside the caller's transaction, so a change and its record commit
 * together. The table refuses UPDATE and DELETE (a trigger), so nothing rewrites history.
 */
@Injectable()
export class AuditLog {
  async record(
    tx: EntityManager,
    who: Principal | null,
    action: string,
    entity: string,
    entityId: string | null,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (user_id, user_email, role, action, entity, entity_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [who?.id ?? null, who?.email ?? null, who?.role ?? 'system', action, entity, entityId,
        before === null || before === undefined ? null : JSON.stringify(before),
        after === null || after === undefined ? null : JSON.stringify(after)],
    );
  }
}
