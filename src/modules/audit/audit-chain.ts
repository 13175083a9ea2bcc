import type { DataSource, EntityManager } from 'typeorm';

export interface ChainReport {
  /** Records checked. */
  records: number;
  /** The first record whose hash or link does not hold, or null when the whole chain holds. */
  firstBroken: { seq: number; id: number; problem: 'record_changed' | 'link_broken' | 'record_missing' } | null;
}

/**
 * Walks the audit chain in one statement: each record's hash must be sha256(previous hash || the
 * record), its `prev_hash` the hash of the record before it, and `seq` without gaps. The first
 * place any of these fails is where history was rewritten (or a record removed).
 */
export async function verifyAuditChain(db: DataSource | EntityManager): Promise<ChainReport> {
  const rows: {
    records: number;
    seq: string | null;
    id: string | null;
    problem: NonNullable<ChainReport['firstBroken']>['problem'];
  }[] = await db.query(`
      WITH checked AS (
        SELECT seq, id,
               hash = sha256(coalesce(prev_hash, '\\x'::bytea) || audit_log_canonical(a)) AS intact,
               prev_hash IS NOT DISTINCT FROM lag(hash) OVER (ORDER BY seq) AS linked,
               seq = row_number() OVER (ORDER BY seq) AS contiguous
          FROM audit_log a
      ), broken AS (
        SELECT seq, id,
               CASE WHEN NOT contiguous THEN 'record_missing' WHEN NOT intact THEN 'record_changed' ELSE 'link_broken' END AS problem
          FROM checked WHERE NOT (intact AND linked AND contiguous) ORDER BY seq LIMIT 1
      )
      SELECT (SELECT count(*)::int FROM audit_log) AS records, broken.seq, broken.id, broken.problem
        FROM (SELECT 1) one LEFT JOIN broken ON true`);
  const [row] = rows;
  return {
    records: row.records,
    firstBroken: row.seq === null ? null : { seq: Number(row.seq), id: Number(row.id), problem: row.problem },
  };
}
