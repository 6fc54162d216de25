import type pg from 'pg';
import type { temporal } from '@temporalio/proto';
import { historyToJson } from './history-json.ts';

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
}

/**
 * Every place in the database that holds `needle`: each text, varchar, char, json, jsonb and array
 * column of every table and view (information_schema, all schemas but Postgres' own), searched as
 * text. Returns `schema.table.column (n rows)` for each hit.
 */
export async function plaintextHits(pool: pg.Pool, needle: string): Promise<string[]> {
  const { rows: columns } = await pool.query<Column>(
    `SELECT c.table_schema, c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
  );
  if (columns.length < 10) throw new Error(`scan found only ${columns.length} columns: not the app schema?`);
  const hits: string[] = [];
  for (const c of columns) {
    const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${id(c.table_schema)}.${id(c.table_name)}
        WHERE strpos(${id(c.column_name)}::text, $1) > 0`,
      [needle],
    );
    if (rows[0]!.n) hits.push(`${c.table_schema}.${c.table_name}.${c.column_name} (${rows[0]!.n} rows)`);
  }
  return hits;
}

/** A workflow history as JSON with every payload's data decoded too, for searching. */
export function searchableHistory(history: temporal.api.history.v1.IHistory): string {
  const json = historyToJson(history);
  const decoded = [...json.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString('utf8'),
  );
  return `${json}\n${decoded.join('\n')}`;
}
