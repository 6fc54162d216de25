import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { PARSE_MODULE, type TokenUsage } from '../schema/vocabulary.ts';
import { ERROR_CLASS_COLUMNS, errorCounts, type ErrorCounts } from './error-counts.ts';
import { num, numOrNull, round } from './sql-values.ts';

export interface DashboardTotals {
  personas: number;
  pausedPersonas: number;
  ticks: number;
  ticksByStatus: Record<string, number>;
  actions: number;
  actionErrors: number;
  errorRate: number;
  errorsByClass: ErrorCounts;
  ratings: number;
  averageRating: number | null;
  parseFailures: number;
  tokens: TokenUsage;
  costUsd: number;
}

/** Totals since `since` (ticks by start, actions and ratings by creation), plus the persona count. */
export async function totalsSince(db: Db, since: Date): Promise<DashboardTotals> {
  const at = since.toISOString();
  const [ticks, actions, ratings, personas] = await Promise.all([
    db.execute(sql`
      SELECT status::text AS status, count(*)::int AS n,
             coalesce(sum(input_tokens), 0)::float8 AS input,
             coalesce(sum(output_tokens), 0)::float8 AS output,
             coalesce(sum(cache_write_tokens), 0)::float8 AS cache_write,
             coalesce(sum(cache_read_tokens), 0)::float8 AS cache_read,
             coalesce(sum(cost_usd), 0)::float8 AS cost
        FROM persona_ticks WHERE started_at >= ${at}::timestamptz
       GROUP BY status ORDER BY status`),
    db.execute(sql`
      SELECT count(*)::int AS calls,
             count(*) FILTER (WHERE outcome = 'error')::int AS errors,
             ${ERROR_CLASS_COLUMNS}
        FROM persona_actions WHERE created_at >= ${at}::timestamptz`),
    db.execute(sql`
      SELECT count(*) FILTER (WHERE rating IS NOT NULL AND module <> ${PARSE_MODULE})::int AS n,
             avg(rating) FILTER (WHERE module <> ${PARSE_MODULE})::float8 AS average,
             count(*) FILTER (WHERE module = ${PARSE_MODULE} OR rating IS NULL)::int AS parse_failures
        FROM persona_feedback WHERE created_at >= ${at}::timestamptz`),
    db.execute(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE paused)::int AS paused FROM personas`),
  ]);
  const byStatus: Record<string, number> = {};
  const tokens = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  let cost = 0;
  for (const r of ticks.rows) {
    byStatus[String(r.status)] = num(r.n);
    tokens.input += num(r.input);
    tokens.output += num(r.output);
    tokens.cacheWrite += num(r.cache_write);
    tokens.cacheRead += num(r.cache_read);
    cost += num(r.cost);
  }
  const a = actions.rows[0] ?? {};
  const f = ratings.rows[0] ?? {};
  const p = personas.rows[0] ?? {};
  const calls = num(a.calls);
  const errors = num(a.errors);
  const avg = numOrNull(f.average);
  return {
    personas: num(p.n),
    pausedPersonas: num(p.paused),
    ticks: Object.values(byStatus).reduce((s, n) => s + n, 0),
    ticksByStatus: byStatus,
    actions: calls,
    actionErrors: errors,
    errorRate: calls ? round(errors / calls, 4) : 0,
    errorsByClass: errorCounts(a),
    ratings: num(f.n),
    averageRating: avg === null ? null : round(avg),
    parseFailures: num(f.parse_failures),
    tokens,
    costUsd: round(cost, 6),
  };
}
