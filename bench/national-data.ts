import { DataSource } from 'typeorm';
import { addDays, addWeeks, mondayOf } from '../src/common/time/iso-week';

/**
 * Synthetic nationwide data, generated set-based in PostgreSQL: `mpps` MPPs spread over the 514
 * real regencies, and `weeks` weeks of check-ins before `week` (about 90% reporting, a few closed
 * or not operating), plus planned closures for 1% of MPPs in `week`.
 */
export async function generateNationalData(db: DataSource, mpps: number, week: string, weeks: number): Promise<void> {
  const [{ id: userId }] = await db.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('bench@mpp.local', 'Bench', 'x', 'ministry') RETURNING id`,
  );
  await db.query(
    `INSERT INTO mpps (regency_code, province_code, name, inaugurated_on, channels, opening_days, tenant_count)
     SELECT r.code, r.province_code, 'MPP ' || i, DATE '2023-10-31', '{direct,electronic}',
            CASE WHEN i % 3 = 0 THEN '{1,2,3,4,5,6}'::smallint[] ELSE '{1,2,3,4,5}'::smallint[] END, 8 + i % 12
       FROM generate_series(1, $1::int) AS i
       JOIN (SELECT code, province_code, row_number() OVER (ORDER BY code) - 1 AS n FROM regencies) r ON r.n = i % 514`,
    [mpps],
  );
  const history = Array.from({ length: weeks }, (_, k) => addWeeks(week, -(weeks - k)));
  for (const w of [...history, week]) {
    await db.query(
      `INSERT INTO check_ins (mpp_id, week, week_start, revision, days_open, tenants_serving, counters_open, visitors, transactions,
                              channel_direct, channel_mobile, channel_self, channel_electronic, status, late,
                              first_submitted_at, submitted_at, submitted_by)
       SELECT id, $1, $2::date, 1, d, least(tenant_count, 4 + (h % 9)), 10, v, (v * 1.2)::int, true, false, false, true,
              CASE WHEN h % 200 = 0 THEN 'not_operating' ELSE 'normal' END, h % 10 = 1,
              $2::date + 5, $2::date + 5, $3
         FROM (SELECT id, tenant_count, abs(hashtext(id::text || $1)) AS h FROM mpps) m,
              LATERAL (SELECT CASE WHEN h % 200 = 0 THEN 0 ELSE 3 + h % 3 END AS d, CASE WHEN h % 200 = 0 THEN 0 ELSE 200 + h % 2000 END AS v) x
        WHERE h % 10 <> 0`,
      [w, mondayOf(w), userId],
    );
  }
  await db.query(
    `INSERT INTO planned_closures (mpp_id, from_date, to_date, category, status, reason, created_by, created_at)
     SELECT id, $1::date, $1::date + 6, 'renovation', 'approved', 'Renovasi', $2, now() FROM mpps WHERE abs(hashtext(id::text)) % 100 = 0`,
    [mondayOf(week), userId],
  );
  await db.query('ANALYZE');
}

/**
 * A signal source for every MPP that pinged every day of the `weeks` weeks before `week` and of
 * `week` itself (a queue machine in every building), set-based: the evaluation's signal join then
 * reads one row per MPP and day.
 */
export async function generateSignals(db: DataSource, week: string, weeks: number): Promise<void> {
  await db.query(
    `INSERT INTO signal_sources (mpp_id, name, token_hash, created_at)
     SELECT id, 'Mesin antrean', sha256(convert_to(id::text, 'UTF8')), $1::date - 1 FROM mpps`,
    [mondayOf(addWeeks(week, -weeks))],
  );
  await db.query(
    `INSERT INTO signal_days (source_id, mpp_id, date, pings, tickets, transactions, last_ping_at)
     SELECT s.id, s.mpp_id, d::date, 24, 150, 180, d + interval '17 hours'
       FROM signal_sources s, generate_series($1::date, $2::date, interval '1 day') AS d`,
    [mondayOf(addWeeks(week, -weeks)), addDays(mondayOf(week), 6)],
  );
  await db.query('ANALYZE signal_sources, signal_days');
}
