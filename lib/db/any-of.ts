import { sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column = ANY($1)` with the values as one array parameter. drizzle's inArray binds one parameter
 * per value, and Postgres refuses a statement with more than 65,535 (a 100,000-persona catalog).
 */
export function anyOf(column: Column, values: readonly string[]): SQL {
  return sql`${column} = ANY(${sql.param([...values])})`;
}
