import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditQuery, AuditRecord } from './audit.dto';
import { ChainReport, verifyAuditChain } from './audit-chain';

const REVISION_FIELDS = (r: string) => `jsonb_build_object(
  'revision', ${r}.revision, 'daysOpen', ${r}.days_open, 'tenantsServing', ${r}.tenants_serving, 'countersOpen', ${r}.counters_open,
  'visitors', ${r}.visitors, 'transactions', ${r}.transactions,
  'channels', jsonb_build_object('direct', ${r}.channel_direct, 'mobile', ${r}.channel_mobile, 'self', ${r}.channel_self, 'electronic', ${r}.channel_electronic),
  'status', ${r}.status, 'closureReason', ${r}.closure_reason, 'problems', ${r}.problems, 'late', ${r}.late)`;

/**
 * The audit trail: `audit_log` (every write through the API and pages, logins) and, for check-ins,
 * their append-only revisions (each one is who, when, and the report before → after). Both
 * tables refuse UPDATE and DELETE; nothing here writes.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether any audit record was changed or removed since it was written (the hash chain). */
  verifyChain(): Promise<ChainReport> {
    return verifyAuditChain(this.db);
  }

  async list(q: AuditQuery): Promise<AuditRecord[]> {
    const checkIns = !q.entity || q.entity === 'check_in';
    const others = q.entity !== 'check_in';
    const [mppId, week] = q.entity === 'check_in' && q.entityId ? q.entityId.split('/') : [null, null];
    const params = [
      q.user ?? null,
      q.action ?? null,
      q.from ?? null,
      q.to ?? null,
      q.limit ?? 100,
      q.entity ?? null,
      q.entityId ?? null,
      mppId,
      week,
      others,
      checkIns,
    ];
    // Both sources always in the statement (every parameter typed); $10 / $11 switch each off.
    const parts = [
      `
        SELECT a.at, a.id AS seq, a.user_id AS "userId", a.user_email AS "userEmail", a.role, a.action, a.entity, a.entity_id AS "entityId",
               a.before, a.after, a.ip, a.request_id AS "requestId"
          FROM audit_log a
         WHERE $10::bool AND ($1::uuid IS NULL OR a.user_id = $1) AND ($2::text IS NULL OR a.action = $2)
           AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)
           AND ($6::text IS NULL OR a.entity = $6) AND ($7::text IS NULL OR a.entity_id = $7)`,
      `
        SELECT r.submitted_at AS at, r.revision AS seq, r.submitted_by AS "userId", u.email AS "userEmail", u.role, 'check_in.submit' AS action,
               'check_in' AS entity, r.mpp_id || '/' || r.week AS "entityId",
               (SELECT ${REVISION_FIELDS('p')} FROM check_in_revisions p WHERE p.mpp_id = r.mpp_id AND p.week = r.week AND p.revision = r.revision - 1) AS before,
               ${REVISION_FIELDS('r')} AS after, NULL AS ip, NULL AS "requestId"
          FROM check_in_revisions r LEFT JOIN users u ON u.id = r.submitted_by
         WHERE $11::bool AND ($1::uuid IS NULL OR r.submitted_by = $1) AND ($2::text IS NULL OR $2 = 'check_in.submit')
           AND ($3::timestamptz IS NULL OR r.submitted_at >= $3) AND ($4::timestamptz IS NULL OR r.submitted_at < $4)
           AND ($8::text IS NULL OR (r.mpp_id::text = $8 AND r.week = $9::text))`,
    ];
    const rows = await this.db.query(`SELECT * FROM (${parts.join(' UNION ALL ')}) x ORDER BY at DESC, seq DESC LIMIT $5`, params);
    return rows.map(({ seq: _seq, ...r }: AuditRecord & { seq: unknown; at: Date }) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
