import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { PARSE_MODULE } from '../schema/vocabulary.ts';
import { iso, num, numOrNull, round } from './sql-values.ts';
import { ERROR_CLASS_COLUMNS, errorCounts, type ErrorCounts } from './error-counts.ts';
import { goalSuccessSince, type GoalSuccess } from './goals-query.ts';
import { recentTicks, type RecentTick } from './ticks-query.ts';
import { totalsSince, type DashboardTotals } from './totals-query.ts';

export type Bucket = 'hour' | 'day';

export interface RatingPoint {
  /** Start of the bucket, ISO 8601 (UTC). */
  bucket: string;
  mean: number;
  n: number;
}

export interface ModuleRatings {
  module: string;
  /** Over the whole range. */
  mean: number;
  n: number;
  points: RatingPoint[];
}

export interface ToolHotspot {
  tool: string;
  calls: number;
  errors: number;
  /** errors / calls, 0..1. */
  errorRate: number;
  errorsByClass: ErrorCounts;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface RecentNote {
  tickId: string;
  workflowId: string;
  email: string;
  displayName: string;
  module: string;
  rating: number | null;
  notes: string;
  createdAt: string;
}

export interface DashboardData {
  generatedAt: string;
  range: { days: number; bucket: Bucket; since: string; until: string; buckets: string[] };
  ratings: ModuleRatings[];
  /** Goal success per module, checked and self-reported apart. */
  goals: GoalSuccess[];
  hotspots: ToolHotspot[];
  recentTicks: RecentTick[];
  recentNotes: RecentNote[];
  totals: DashboardTotals;
}

export interface DashboardQueryOptions {
  /** How far back ratings, hotspots and totals look (default 14). Two days or fewer: hourly buckets. */
  days?: number;
  /** How many recent ticks (default 50). */
  recentTicks?: number;
  /** How many recent rating notes (default 12). */
  recentNotes?: number;
  /** "Now", for tests. */
  now?: Date;
}

export const DEFAULT_DAYS = 14;
export const MAX_DAYS = 366;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Clamps a requested range to whole days in 1..MAX_DAYS; anything unparseable is the default. */
export function normalizeDays(value: unknown, fallback = DEFAULT_DAYS): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return fallback;
  return Math.min(MAX_DAYS, Math.max(1, Math.round(n)));
}

/**
 * The buckets of a range ending now: N whole UTC days (today included), or, for ranges of two days
 * or fewer, N×24 whole hours (this hour included).
 */
export function bucketsFor(days: number, now: Date): { bucket: Bucket; since: Date; buckets: string[] } {
  const bucket: Bucket = days <= 2 ? 'hour' : 'day';
  const step = bucket === 'hour' ? HOUR : DAY;
  const count = bucket === 'hour' ? days * 24 : days;
  const current = Math.floor(now.getTime() / step) * step;
  const since = current - (count - 1) * step;
  const buckets = Array.from({ length: count }, (_, i) => new Date(since + i * step).toISOString());
  return { bucket, since: new Date(since), buckets };
}

/** Average rating per module per bucket (hour or day, UTC) since `since`; `__parse` rows excluded. */
export async function ratingsOverTime(
  db: Db,
  since: Date,
  bucket: Bucket,
  personaId?: string,
): Promise<ModuleRatings[]> {
  const { rows } = await db.execute(sql`
    SELECT module,
           extract(epoch FROM date_trunc(${bucket}::text, created_at AT TIME ZONE 'UTC')) * 1000 AS bucket_ms,
           avg(rating)::float8 AS average,
           count(*)::int AS n
      FROM persona_feedback
     WHERE created_at >= ${since.toISOString()}::timestamptz
       AND rating IS NOT NULL${personaId ? sql` AND persona_id = ${personaId}` : sql``}
       AND module <> ${PARSE_MODULE}
     GROUP BY 1, 2
     ORDER BY 1, 2`);
  const byModule = new Map<string, { total: number; n: number; points: RatingPoint[] }>();
  for (const r of rows) {
    const module = String(r.module);
    const m = byModule.get(module) ?? { total: 0, n: 0, points: [] };
    byModule.set(module, m);
    const mean = num(r.average);
    const n = num(r.n);
    m.points.push({ bucket: iso(r.bucket_ms), mean: round(mean), n });
    m.total += mean * n;
    m.n += n;
  }
  return [...byModule.entries()].map(([module, m]) => ({
    module,
    mean: round(m.total / m.n),
    n: m.n,
    points: m.points,
  }));
}

/** Per tool since `since`: calls, errors (by class), error rate, p50/p95 latency; most errors first. */
export async function errorHotspots(db: Db, since: Date, limit = 25): Promise<ToolHotspot[]> {
  const { rows } = await db.execute(sql`
    SELECT tool_name,
           count(*)::int AS calls,
           count(*) FILTER (WHERE outcome = 'error')::int AS errors,
           ${ERROR_CLASS_COLUMNS},
           percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
      FROM persona_actions
     WHERE created_at >= ${since.toISOString()}::timestamptz
     GROUP BY tool_name
     ORDER BY 3 DESC, count(*) FILTER (WHERE outcome = 'error')::float8 / count(*) DESC, 2 DESC, 1
     LIMIT ${limit}`);
  return rows.map((r) => {
    const calls = num(r.calls);
    const errors = num(r.errors);
    const p50 = numOrNull(r.p50);
    const p95 = numOrNull(r.p95);
    return {
      tool: String(r.tool_name),
      calls,
      errors,
      errorRate: calls ? round(errors / calls, 4) : 0,
      errorsByClass: errorCounts(r),
      p50LatencyMs: p50 === null ? null : round(p50, 1),
      p95LatencyMs: p95 === null ? null : round(p95, 1),
    };
  });
}

/** The latest ratings that came with notes, newest first. */
export async function recentNotes(db: Db, limit = 12): Promise<RecentNote[]> {
  const { rows } = await db.execute(sql`
    SELECT f.tick_id, f.tick_id AS workflow_id, u.email, p.display_name, f.module, f.rating, f.notes,
           extract(epoch FROM f.created_at) * 1000 AS created_ms
      FROM persona_feedback f
      JOIN persona_ticks t ON t.id = f.tick_id
      JOIN personas p ON p.id = f.persona_id
      JOIN users u ON u.id = p.user_id
     WHERE f.notes IS NOT NULL AND btrim(f.notes) <> ''
     ORDER BY f.created_at DESC, f.id
     LIMIT ${limit}`);
  return rows.map((r) => ({
    tickId: String(r.tick_id),
    workflowId: String(r.workflow_id),
    email: String(r.email),
    displayName: String(r.display_name),
    module: String(r.module),
    rating: numOrNull(r.rating),
    notes: String(r.notes),
    createdAt: iso(r.created_ms),
  }));
}

/** Everything the dashboard shows, in one consistent shape (also served as JSON). */
export async function loadDashboardData(db: Db, opts: DashboardQueryOptions = {}): Promise<DashboardData> {
  const now = opts.now ?? new Date();
  const days = normalizeDays(opts.days);
  const { bucket, since, buckets } = bucketsFor(days, now);
  const [ratings, goals, hotspots, ticks, notes, totals] = await Promise.all([
    ratingsOverTime(db, since, bucket),
    goalSuccessSince(db, since),
    errorHotspots(db, since),
    recentTicks(db, opts.recentTicks ?? 50),
    recentNotes(db, opts.recentNotes ?? 12),
    totalsSince(db, since),
  ]);
  return {
    generatedAt: now.toISOString(),
    range: { days, bucket, since: since.toISOString(), until: now.toISOString(), buckets },
    ratings,
    goals,
    hotspots,
    recentTicks: ticks,
    recentNotes: notes,
    totals,
  };
}
