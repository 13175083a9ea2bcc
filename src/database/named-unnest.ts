/** One input column of a set-based statement: its SQL name and type, and how a row gives its value. */
export interface InputColumn<R> {
  name: string;
  type: string;
  value: (row: R) => unknown;
}

/**
 * `unnest($1::uuid[], $2::text[], …) AS alias(mpp_id, week, …)` and its parameter arrays, both
 * built from one column list, so a column's name, type and values cannot drift apart by position
 * (the statement text is built once; only the arrays are built per call).
 */
export class NamedUnnest<R> {
  /** The FROM item, for the statement's text. */
  readonly sql: string;

  /** The number of the first parameter after this input's arrays (for a statement's other parameters). */
  readonly nextParam: number;

  /** `ordinality` names a last column numbering the rows from 1 (WITH ORDINALITY). */
  constructor(
    private readonly columns: InputColumn<R>[],
    alias: string,
    { firstParam = 1, ordinality }: { firstParam?: number; ordinality?: string } = {},
  ) {
    const params = columns.map((c, i) => `$${firstParam + i}::${c.type}[]`).join(', ');
    const names = [...columns.map((c) => c.name), ...(ordinality ? [ordinality] : [])].join(', ');
    this.sql = `unnest(${params})${ordinality ? ' WITH ORDINALITY' : ''} AS ${alias}(${names})`;
    this.nextParam = firstParam + columns.length;
  }

  /** The parameter arrays for `rows`, in the statement's order. */
  values(rows: readonly R[]): unknown[][] {
    return this.columns.map((c) => rows.map(c.value));
  }
}
