import { Injectable } from '@nestjs/common';
import { AuditQuery, AuditRecord } from './audit.dto';
import { ChainReport } from './audit-chain';
import { AuditRepository } from './audit.repository';

/** Reads the audit trail for admins (writes are recorded by `common/audit`, where they happen). */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** Whether any audit record was changed or removed since it was written (the hash chain). */
  verifyChain(): Promise<ChainReport> {
    return this.audit.verifyChain();
  }

  async list(q: AuditQuery): Promise<AuditRecord[]> {
    const rows = await this.audit.listEvents({
      userId: q.user,
      action: q.action,
      from: q.from,
      to: q.to,
      entity: q.entity,
      entityId: q.entityId,
      limit: q.limit ?? 100,
    });
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
