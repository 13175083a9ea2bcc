import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Sql } from './sql';

/**
 * Runs a hot statement as a named prepared statement on TypeORM's own pg pool: parsed once per
 * connection instead of on every call. TypeORM's query() has no way to name a statement; for the
 * check-in batch statements planning cost as much as executing.
 */
export async function preparedQuery<T>(db: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  return (await pool.query({ name, text, values })).rows as T[];
}

/**
 * `query` as a named prepared statement, on the transaction's own connection when `db` is a
 * transaction's manager, else on the pool. Each text its own statement (`name` and a digest of
 * the text): a query whose filters vary prepares one statement per shape, a bounded number.
 */
export async function runPrepared<T>(db: DataSource | EntityManager, name: string, query: Sql): Promise<T[]> {
  const statement = { name: `${name}-${digest(query.text)}`, text: query.text, values: query.values };
  const runner = db instanceof DataSource ? undefined : db.queryRunner;
  if (!runner) return preparedQuery<T>(db instanceof DataSource ? db : db.connection, statement.name, statement.text, statement.values);
  // A finished transaction's runner still holds its (now pooled) connection: never run on it.
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as PoolClient;
  return (await client.query(statement)).rows as T[];
}

const digests = new Map<string, string>();

function digest(text: string): string {
  let d = digests.get(text);
  if (d === undefined) {
    d = createHash('sha1').update(text).digest('hex').slice(0, 12);
    // Texts are the code's query shapes; the bound only guards against a shape built from data.
    if (digests.size >= 1000) digests.clear();
    digests.set(text, d);
  }
  return d;
}
