import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { and, raw, run, sql, Sql } from '../../database/sql';
import { ChainReport, verifyAuditChain } from './audit-chain';
import type { AuditRecord } from './audit.dto';

/** Filters of the audit trail; every one optional. */
export interface AuditFilter {
  userId?: string;
  action?: string;
  from?: string;
  to?: string;
  entity?: string;
  entityId?: string;
  limit: number;
}

/** An audit record as the database gives it (its time a Date; the API answers ISO text). */
export type AuditRow = Omit<AuditRecord, 'at'> & { at: Date };

const revisionFields = (r: string) =>
  raw(`jsonb_build_object(
  'revision', ${r}.revision, 'daysOpen', ${r}.days_open, 'tenantsServing', ${r}.tenants_serving, 'countersOpen', ${r}.counters_open,
  'visitors', ${r}.visitors, 'transactions', ${r}.transactions,
  'channels', jsonb_build_object('direct', ${r}.channel_direct, 'mobile', ${r}.channel_mobile, 'self', ${r}.channel_self, 'electronic', ${r}.channel_electronic),
  'status', ${r}.status, 'closureReason', ${r}.closure_reason, 'problems', ${r}.problems, 'late', ${r}.late)`);

/**
 * The audit trail's two sources: `audit_log` (writes through the API and pages, logins) and the
 * append-only `check_in_revisions` (each check-in revision is who, when, before → after). Both
 * tables refuse UPDATE and DELETE; nothing here writes.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  verifyChain(): Promise<ChainReport> {
    return verifyAuditChain(this.db);
  }

  /** Newest first, both sources merged; a filter that cannot match one source leaves it out. */
  listEvents(f: AuditFilter): Promise<AuditRow[]> {
    const sources = [this.logEntries(f), this.checkInRevisions(f)].filter((s): s is Sql => s !== null);
    if (!sources.length) return Promise.resolve([]);
    return run<AuditRow>(
      this.db,
      sql`SELECT at, "userId", "userEmail", role, action, entity, "entityId", before, after, ip, "requestId"
            FROM (${sources.reduce((all, s) => sql`${all} UNION ALL ${s}`)}) events
           ORDER BY at DESC, seq DESC LIMIT ${f.limit}`,
    );
  }

  private logEntries(f: AuditFilter): Sql | null {
    if (f.entity === 'check_in') return null;
    return sql`
      SELECT a.at, a.id AS seq, a.user_id AS "userId", a.user_email AS "userEmail", a.role, a.action, a.entity,
             a.entity_id AS "entityId", a.before, a.after, a.ip, a.request_id AS "requestId"
        FROM audit_log a
       WHERE ${and([
         f.userId && sql`a.user_id = ${f.userId}::uuid`,
         f.action && sql`a.action = ${f.action}`,
         f.from && sql`a.at >= ${f.from}::timestamptz`,
         f.to && sql`a.at < ${f.to}::timestamptz`,
         f.entity && sql`a.entity = ${f.entity}`,
         f.entityId && sql`a.entity_id = ${f.entityId}`,
       ])}`;
  }

  /** Check-in revisions as audit events: a check-in's entity id is `{mppId}/{week}`. */
  private checkInRevisions(f: AuditFilter): Sql | null {
    if (f.entity && f.entity !== 'check_in') return null;
    if (f.action && f.action !== 'check_in.submit') return null;
    const [mppId, week] = f.entity === 'check_in' && f.entityId ? f.entityId.split('/') : [];
    return sql`
      SELECT r.submitted_at AS at, r.revision AS seq, r.submitted_by AS "userId", u.email AS "userEmail", u.role,
             'check_in.submit' AS action, 'check_in' AS entity, r.mpp_id || '/' || r.week AS "entityId",
             (SELECT ${revisionFields('p')} FROM check_in_revisions p
               WHERE p.mpp_id = r.mpp_id AND p.week = r.week AND p.revision = r.revision - 1) AS before,
             ${revisionFields('r')} AS after, NULL AS ip, NULL AS "requestId"
        FROM check_in_revisions r LEFT JOIN users u ON u.id = r.submitted_by
       WHERE ${and([
         f.userId && sql`r.submitted_by = ${f.userId}::uuid`,
         f.from && sql`r.submitted_at >= ${f.from}::timestamptz`,
         f.to && sql`r.submitted_at < ${f.to}::timestamptz`,
         mppId !== undefined && sql`r.mpp_id::text = ${mppId} AND r.week = ${week ?? ''}`,
       ])}`;
  }
}
