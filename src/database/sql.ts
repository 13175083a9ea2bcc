import sql, { empty, join, raw, Sql } from 'sql-template-tag';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * How queries are written: `sql` tagged templates (sql-template-tag) whose values become
 * numbered parameters, so a filter is a fragment that carries its own value instead of a
 * `($4::text IS NULL OR …)` pair matched to a position in a far-away array.
 *
 *   const rows = await run<Row>(db, sql`SELECT … FROM holidays ${where([year && sql`extract(year FROM date) = ${year}`])}`);
 */
export { sql, empty, join, raw, Sql };

/** A condition, or a falsy value for "no condition" (so optional filters read `q.user && sql`…``). */
export type Condition = Sql | false | null | undefined | 0 | '';

/** `WHERE a AND b` over the conditions that are present; nothing when none is. */
export function where(conditions: readonly Condition[]): Sql {
  const present = conditions.filter((c): c is Sql => c instanceof Sql);
  return present.length ? sql`WHERE ${join(present, ' AND ')}` : empty;
}

/** `a AND b` over the conditions that are present; `TRUE` when none is. */
export function and(conditions: readonly Condition[]): Sql {
  const present = conditions.filter((c): c is Sql => c instanceof Sql);
  return present.length ? join(present, ' AND ') : sql`TRUE`;
}

/** Runs a statement on a data source or inside a transaction's manager. */
export async function run<T>(db: DataSource | EntityManager, query: Sql): Promise<T[]> {
  return db.query<T[]>(query.text, query.values);
}

/** The first row, or undefined. */
export async function one<T>(db: DataSource | EntityManager, query: Sql): Promise<T | undefined> {
  return (await run<T>(db, query))[0];
}

/** UPDATE or DELETE … RETURNING: TypeORM answers those with `[rows, affectedCount]`, this with the rows. */
export async function runChange<T>(db: DataSource | EntityManager, query: Sql): Promise<T[]> {
  const [rows] = await db.query<[T[], number]>(query.text, query.values);
  return rows;
}
