// One persona over time: who it is, its ticks, its ratings per module, and the errors it keeps hitting.
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { bucketsFor, ratingsOverTime, type Bucket, type ModuleRatings } from './queries.ts';
import { iso, num } from './sql-values.ts';
import { goalSuccessByDay } from './goals-query.ts';
import { recentTicks, type RecentTick } from './ticks-query.ts';

export interface RecurringError {
  tool: string;
  errorClass: string | null;
  /** The product's answer, as summarised on the action (the same text groups the same failure). */
  summary: string;
  count: number;
  lastTickId: string;
  lastAt: string;
}

export interface PersonaDetail {
  id: string;
  displayName: string;
  email: string;
  archetype: string;
  cadence: string;
  timezone: string;
  paused: boolean;
  /** The account may use destructive tools (catalog `destructive`). */
  destructive: boolean;
  lastActiveAt: string | null;
  moduleMix: Record<string, number>;
  range: { days: number; bucket: Bucket; buckets: string[] };
  ratings: ModuleRatings[];
  ticks: RecentTick[];
  errors: RecurringError[];
  /** Checked goals per day (UTC): achieved of judged. */
  goalsByDay: Array<{ day: string; achieved: number; judged: number }>;
}

export async function loadPersonaDetail(
  db: Db,
  personaId: string,
  opts: { days: number; now?: Date },
): Promise<PersonaDetail | undefined> {
  const {
    rows: [p],
  } = await db.execute(sql`
    SELECT p.id, p.display_name, p.archetype, p.cadence, p.timezone, p.paused, p.module_mix,
           extract(epoch FROM p.last_active_at) * 1000 AS last_ms, u.email,
           u.destructive_opt_in
      FROM personas p JOIN users u ON u.id = p.user_id WHERE p.id = ${personaId}`);
  if (!p) return undefined;
  const { bucket, since, buckets } = bucketsFor(opts.days, opts.now ?? new Date());
  const [ratings, ticks, errors, goalsByDay] = await Promise.all([
    ratingsOverTime(db, since, bucket, personaId),
    recentTicks(db, 50, { personaId }),
    db.execute(sql`
      SELECT tool_name, error_class, coalesce(left(result_summary, 160), '') AS summary, count(*)::int AS n,
             (array_agg(tick_id ORDER BY created_at DESC))[1] AS last_tick,
             extract(epoch FROM max(created_at)) * 1000 AS last_ms
        FROM persona_actions
       WHERE persona_id = ${personaId} AND outcome = 'error' AND created_at >= ${since.toISOString()}::timestamptz
       GROUP BY 1, 2, 3
       ORDER BY n DESC, last_ms DESC
       LIMIT 20`),
    goalSuccessByDay(db, personaId, opts.days),
  ]);
  return {
    id: String(p.id),
    displayName: String(p.display_name),
    email: String(p.email),
    archetype: String(p.archetype),
    cadence: String(p.cadence),
    timezone: String(p.timezone),
    paused: p.paused === true,
    destructive: p.destructive_opt_in === true,
    lastActiveAt: p.last_ms === null || p.last_ms === undefined ? null : iso(p.last_ms),
    moduleMix: (p.module_mix ?? {}) as Record<string, number>,
    range: { days: opts.days, bucket, buckets },
    ratings,
    ticks,
    errors: errors.rows.map((e) => ({
      tool: String(e.tool_name),
      errorClass: (e.error_class as string | null) ?? null,
      summary: String(e.summary),
      count: num(e.n),
      lastTickId: String(e.last_tick),
      lastAt: iso(e.last_ms),
    })),
    goalsByDay,
  };
}
