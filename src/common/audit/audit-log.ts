import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { requestContext } from '../http/request-context';

/**
 * Appends to `audit_log` inside the caller's transaction, so a change and its record commit
 * together. The table refuses UPDATE and DELETE (a trigger), so nothing rewrites history. The
 * actor is the request's authenticated user (or `who` when given); scheduled work is `system`.
 */
@Injectable()
export class AuditLog {
  async record(
    tx: EntityManager,
    action: string,
    entity: string,
    entityId: string | null,
    before: unknown,
    after: unknown,
    who?: Principal | null,
  ): Promise<void> {
    const context = requestContext();
    const actor = who === undefined ? (context?.user ?? null) : who;
    await tx.query(
      `INSERT INTO audit_log (user_id, user_email, role, action, entity, entity_id, before, after, ip, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        actor?.id ?? null,
        actor?.email ?? null,
        actor?.role ?? (context ? 'anonymous' : 'system'),
        action,
        entity,
        entityId,
        before === null || before === undefined ? null : JSON.stringify(before),
        after === null || after === undefined ? null : JSON.stringify(after),
        context?.ip ?? null,
        context?.requestId ?? null,
      ],
    );
  }
}
