// The ticks list, newest first, optionally filtered (persona, module, tool, error class): the
// dashboard's recent ticks, the /ticks page and the persona page all read it.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import {
  ERROR_CLASSES,
  isErrorClass,
  PARSE_MODULE,
  type ErrorClass,
  type TokenUsage,
} from '../schema/vocabulary.ts';
import { iso, num, numOrNull, round } from './sql-values.ts';

export interface TickFilter {
  personaId?: string;
  /** Ticks that rated this module. */
  module?: string;
  /** Ticks that called this tool. */
  tool?: string;
  /** Ticks with a failed action of this class (with `tool`: of that tool). */
  errorClass?: ErrorClass;
  /** Ticks of this campaign (its id). */
  campaign?: string;
}

/** What every view of a tick row shows (the ticks list and the tick page). */
export interface TickFacts {
  id: string;
  runId: string | null;
  status: string;
  endReason: string | null;
  failure: string | null;
  ratingError: string | null;
  provider: string | null;
  model: string | null;
  rounds: number;
  toolCalls: number;
  tokens: TokenUsage & { total: number };
  costUsd: number;
  historyEvents: number | null;
  historyBytes: number | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
}

export interface RecentTick extends TickFacts {
  workflowId: string;
  personaId: string;
  email: string;
  displayName: string;
  archetype: string;
  errors: number;
  historyKb: number | null;
  averageRating: number | null;
}

/** TickFacts from a persona_ticks row selected with started_ms / ended_ms epochs and cost_usd as float. */
export function tickFacts(r: Record<string, unknown>): TickFacts {
  const tokens = {
    input: num(r.input_tokens),
    output: num(r.output_tokens),
    cacheWrite: num(r.cache_write_tokens),
    cacheRead: num(r.cache_read_tokens),
  };
  return {
    id: String(r.id),
    runId: (r.run_id as string | null) ?? null,
    status: String(r.status),
    endReason: (r.end_reason as string | null) ?? null,
    failure: (r.failure as string | null) ?? null,
    ratingError: (r.rating_error as string | null) ?? null,
    provider: (r.provider as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    rounds: num(r.rounds),
    toolCalls: num(r.tool_calls),
    tokens: { ...tokens, total: tokens.input + tokens.output + tokens.cacheWrite + tokens.cacheRead },
    costUsd: num(r.cost_usd),
    historyEvents: numOrNull(r.history_events),
    historyBytes: numOrNull(r.history_bytes),
    startedAt: iso(r.started_ms),
    endedAt: r.ended_ms === null || r.ended_ms === undefined ? null : iso(r.ended_ms),
    durationMs: numOrNull(r.duration_ms),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[\w.:-]{1,128}$/;

/** The filter in a query string; what is malformed is reported, not guessed at. */
export function parseTickFilter(params: URLSearchParams): { filter: TickFilter; problems: string[] } {
  const filter: TickFilter = {};
  const problems: string[] = [];
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const persona = get('persona');
  if (persona && UUID.test(persona)) filter.personaId = persona;
  else if (persona) problems.push('persona: expected a persona id');
  for (const key of ['module', 'tool', 'campaign'] as const) {
    const v = get(key);
    if (v && NAME.test(v)) filter[key] = v;
    else if (v) problems.push(`${key}: expected a name of letters, digits, _ . : -`);
  }
  const cls = get('errorClass');
  if (isErrorClass(cls)) filter.errorClass = cls;
  else if (cls) problems.push(`errorClass: expected one of ${ERROR_CLASSES.join(', ')}`);
  return { filter, problems };
}

function whereOf(f: TickFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.personaId) parts.push(sql`t.persona_id = ${f.personaId}`);
  if (f.campaign) parts.push(sql`t.campaign_id = ${f.campaign}`);
  if (f.module)
    parts.push(
      sql`EXISTS (SELECT 1 FROM persona_feedback x WHERE x.tick_id = t.id AND x.module = ${f.module})`,
    );
  if (f.tool && !f.errorClass)
    parts.push(
      sql`EXISTS (SELECT 1 FROM persona_actions x WHERE x.tick_id = t.id AND x.tool_name = ${f.tool})`,
    );
  if (f.errorClass)
    parts.push(
      sql`EXISTS (SELECT 1 FROM persona_actions x WHERE x.tick_id = t.id AND x.outcome = 'error' AND x.error_class = ${f.errorClass}${f.tool ? sql` AND x.tool_name = ${f.tool}` : sql``})`,
    );
  return sql.join(parts, sql` AND `);
}

/** The latest ticks (any age), newest first, with their persona, errors and average rating. */
export async function recentTicks(db: Db, limit = 50, filter: TickFilter = {}): Promise<RecentTick[]> {
  const { rows } = await db.execute(sql`
    SELECT t.id, t.id AS workflow_id, t.persona_id, t.run_id, t.status, t.end_reason, t.failure, t.rating_error,
           t.provider, t.model, t.rounds, t.tool_calls,
           t.input_tokens, t.output_tokens, t.cache_write_tokens, t.cache_read_tokens,
           t.cost_usd::float8 AS cost_usd, t.history_events, t.history_bytes, t.duration_ms,
           extract(epoch FROM t.started_at) * 1000 AS started_ms,
           extract(epoch FROM t.ended_at) * 1000 AS ended_ms,
           u.email, p.display_name, p.archetype,
           coalesce(a.errors, 0) AS errors,
           f.average AS average_rating
      FROM persona_ticks t
      JOIN personas p ON p.id = t.persona_id
      JOIN users u ON u.id = p.user_id
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE outcome = 'error')::int AS errors
          FROM persona_actions WHERE tick_id = t.id
      ) a ON true
      LEFT JOIN LATERAL (
        SELECT avg(rating)::float8 AS average
          FROM persona_feedback WHERE tick_id = t.id AND rating IS NOT NULL AND module <> ${PARSE_MODULE}
      ) f ON true
     WHERE ${whereOf(filter)}
     ORDER BY t.started_at DESC, t.id DESC
     LIMIT ${limit}`);
  return rows.map((r) => {
    const facts = tickFacts(r);
    const avg = numOrNull(r.average_rating);
    return {
      ...facts,
      workflowId: String(r.workflow_id),
      personaId: String(r.persona_id),
      email: String(r.email),
      displayName: String(r.display_name),
      archetype: String(r.archetype),
      errors: num(r.errors),
      historyKb: facts.historyBytes === null ? null : round(facts.historyBytes / 1024, 1),
      averageRating: avg === null ? null : round(avg),
    };
  });
}
