import { raw, sql, Sql } from '../../database/sql';
import { MppScope } from './principal';

/**
 * The one spelling of "rows this principal may see" in SQL. `columns` name the MPP id and
 * province columns of the query (code constants, never input): a bureau sees its province, a
 * manager its MPPs, admin and ministry everything.
 */
export function mppScopeSql(scope: MppScope, columns: { mppId: string; provinceCode: string }): Sql {
  switch (scope.kind) {
    case 'all':
      return sql`TRUE`;
    case 'province':
      return sql`${raw(columns.provinceCode)} = ${scope.provinceCode}`;
    case 'mpps':
      return sql`${raw(columns.mppId)} = ANY(${scope.mppIds}::uuid[])`;
  }
}
