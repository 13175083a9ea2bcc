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
  await loadWithoutKeys(db, 'check_ins', async () => {
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
  });
  await db.query(
    `INSERT INTO planned_closures (mpp_id, from_date, to_date, category, status, reason, created_by, created_at)
     SELECT id, $1::date, $1::date + 6, 'renovation', 'approved', 'Renovasi', $2, now() FROM mpps WHERE abs(hashtext(id::text)) % 100 = 0`,
    [mondayOf(week), userId],
  );
  await db.query('ANALYZE');
}

/**
 * A signal source for every MPP that pinged every day of the `weeks` weeks before `week` and of
 * `week` itself (a queue machine in every building), except 1% of MPPs whose machine fell silent
 * after that week's Monday (their check-ins claiming more days open are disputed: the run's proof
 * that the signals were read).
 */
export async function generateSignals(db: DataSource, week: string, weeks: number): Promise<void> {
  await db.query(
    `INSERT INTO signal_sources (mpp_id, name, token_hash, created_at)
     SELECT id, 'Mesin antrean', sha256(convert_to(id::text, 'UTF8')), $1::date - 1 FROM mpps`,
    [mondayOf(addWeeks(week, -weeks))],
  );
  await loadWithoutKeys(db, 'signal_days', () =>
    db.query(
      `INSERT INTO signal_days (source_id, mpp_id, date, pings, tickets, transactions, last_ping_at)
       SELECT s.id, s.mpp_id, d::date, 24, 150, 180, d + interval '17 hours'
         FROM signal_sources s, generate_series($1::date, $2::date, interval '1 day') AS d
        WHERE d <= $3::date OR abs(hashtext(s.mpp_id::text || 'silent')) % 100 <> 0`,
      [mondayOf(addWeeks(week, -weeks)), addDays(mondayOf(week), 6), mondayOf(week)],
    ),
  );
  // What each ping also keeps (SignalsRepository.recordPing): the source's active days per week.
  await db.query(
    `INSERT INTO signal_weeks (source_id, week_start, mpp_id, days)
     SELECT source_id, date_trunc('week', date)::date, mpp_id, bit_or(1 << (extract(isodow FROM date)::int - 1))::smallint
       FROM signal_days GROUP BY 1, 2, 3`,
  );
  await db.query('ANALYZE signal_sources, signal_days, signal_weeks');
}

/**
 * Loads millions of rows into `table` without its keys and indexes (and the foreign keys that
 * point at it), then rebuilds them exactly as the migrations made them: one sort per index
 * instead of a foreign-key probe and an insertion into every index per row, minutes less for the
 * same table in the end. Check constraints stay (they cost little and keep the data honest).
 */
export async function loadWithoutKeys<T>(db: DataSource, table: string, load: () => Promise<T>): Promise<T> {
  const constraints: { name: string; owner: string; def: string; contype: string }[] = await db.query(
    `SELECT conname AS name, conrelid::regclass::text AS owner, pg_get_constraintdef(oid) AS def, contype
       FROM pg_constraint
      WHERE (conrelid = $1::regclass AND contype IN ('p', 'u', 'f')) OR (confrelid = $1::regclass AND contype = 'f')`,
    [table],
  );
  const indexes: { name: string; def: string }[] = await db.query(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`,
    [table],
  );
  // Foreign keys first (those pointing at this table's key need it), keys last; rebuilt the other way round.
  const order = (c: { contype: string }) => (c.contype === 'f' ? 0 : 1);
  const dropping = [...constraints].sort((a, b) => order(a) - order(b));
  for (const c of dropping) await db.query(`ALTER TABLE ${c.owner} DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes) await db.query(`DROP INDEX "${i.name}"`);
  const result = await load();
  for (const c of [...dropping].reverse()) await db.query(`ALTER TABLE ${c.owner} ADD CONSTRAINT "${c.name}" ${c.def}`);
  for (const i of indexes) await db.query(i.def);
  return result;
}
