import type { Db } from '../../lib/db/client.ts';
import { poolOf } from '../../lib/db/pool-of.ts';
import type { RateDecision, RateLimiter } from './rate-limiter.ts';

// One statement per decision, on the database's clock (instances' clocks may disagree): the key's
// window restarts when it is older than the window; otherwise the hit counts, capped at limit + 1 so a
// refused call is told apart from the call that reached the limit (and refused calls do not extend it).
const HIT = `
INSERT INTO gateway_rate_windows AS w (key, window_start, hits) VALUES ($1, now(), 1)
ON CONFLICT (key) DO UPDATE SET
  window_start = CASE WHEN w.window_start <= now() - $2 * interval '1 millisecond' THEN now() ELSE w.window_start END,
  hits = CASE WHEN w.window_start <= now() - $2 * interval '1 millisecond' THEN 1 ELSE least(w.hits + 1, $3 + 1) END
RETURNING hits, greatest(0, ceil(extract(epoch FROM w.window_start + $2 * interval '1 millisecond' - now()) * 1000))::int AS retry_after_ms`;

const SWEEP = `DELETE FROM gateway_rate_windows WHERE window_start < now() - $1 * interval '1 millisecond'`;

/**
 * The rate limit every gateway instance shares (GATEWAY_LIMITS_STORE=postgres): a fixed window per
 * (user, tool) anchored at the key's first call, counted in an UNLOGGED table with one upsert per
 * call — N instances enforce the configured limit, not N times it. A fixed window lets a burst of up
 * to 2 × limit straddle a window's end (the in-memory sliding window does not); in exchange each
 * decision is one row, whatever the limit (a sliding log would carry `limit` timestamps per key).
 * Expired rows are swept once per window by whichever instance gets there.
 */
export class PostgresRateLimiter implements RateLimiter {
  private lastSweep = Date.now();

  constructor(
    private readonly db: Db,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  async tryAcquire(key: string): Promise<RateDecision> {
    this.maybeSweep();
    const r = await poolOf(this.db).query<{ hits: number; retry_after_ms: number }>({
      name: 'gateway_rate_hit',
      text: HIT,
      values: [key, this.windowMs, this.limit],
    });
    const row = r.rows[0]!;
    const allowed = row.hits <= this.limit;
    return { allowed, retryAfterMs: allowed ? 0 : row.retry_after_ms };
  }

  private maybeSweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    // Best effort: a failed sweep leaves expired rows, which the next hit on their key resets anyway.
    poolOf(this.db).query(SWEEP, [this.windowMs]).catch(() => {});
  }
}
