import type { Db } from '../../lib/db/client.ts';
import { poolOf } from '../../lib/db/pool-of.ts';
import type { LoginKeys, LoginThrottle, LoginThrottleLimits } from './login-throttle.ts';

// Each key keeps the times of its newest failures in the window (at most the larger limit of the two
// kinds), so the wait is exact: the key may try again when the limit-th newest failure expires.
// Keys are prefixed with their kind, so an IP can never collide with an email.
const WAIT = `
SELECT key, greatest(0, ceil(extract(epoch FROM failures[cardinality(failures) - lim + 1]
         + $3 * interval '1 millisecond' - now()) * 1000))::int AS wait_ms
FROM gateway_login_failures JOIN unnest($1::text[], $2::int[]) AS k(key_, lim) ON key = key_
WHERE cardinality(array(SELECT f FROM unnest(failures) f WHERE f > now() - $3 * interval '1 millisecond')) >= lim`;

const FAIL = `
INSERT INTO gateway_login_failures AS l (key, failures, last_failure_at)
SELECT k, ARRAY[now()], now() FROM unnest($1::text[]) AS k
ON CONFLICT (key) DO UPDATE SET
  failures = (SELECT array_agg(f ORDER BY f) FROM (
      SELECT f FROM unnest(l.failures || now()) f
      WHERE f > now() - $2 * interval '1 millisecond' ORDER BY f DESC LIMIT $3) newest),
  last_failure_at = now()`;

const CLEAR = `DELETE FROM gateway_login_failures WHERE key = $1`;
const SWEEP = `DELETE FROM gateway_login_failures WHERE last_failure_at < now() - $1 * interval '1 millisecond'`;

/**
 * Login throttling every gateway instance shares (GATEWAY_LIMITS_STORE=postgres): failures counted in
 * an UNLOGGED table, one statement per decision (the wait for both keys), one per failure (both keys),
 * on the database's clock. A crash of Postgres empties the table: that only relaxes the throttle for
 * one window. Keys idle for a window are swept once per window by whichever instance gets there.
 */
export class PostgresLoginThrottle implements LoginThrottle {
  private lastSweep = Date.now();

  constructor(
    private readonly db: Db,
    private readonly limits: LoginThrottleLimits,
  ) {}

  async retryAfterMs(keys: LoginKeys): Promise<number> {
    this.maybeSweep();
    const names = [`ip:${keys.ip}`];
    const limits = [this.limits.perIp];
    if (keys.account !== undefined) {
      names.push(`account:${keys.account}`);
      limits.push(this.limits.perAccount);
    }
    const r = await poolOf(this.db).query<{ wait_ms: number }>(WAIT, [names, limits, this.limits.windowMs]);
    return Math.max(0, ...r.rows.map((row) => row.wait_ms));
  }

  async fail(keys: LoginKeys): Promise<void> {
    const names = [`ip:${keys.ip}`, ...(keys.account === undefined ? [] : [`account:${keys.account}`])];
    const keep = Math.max(this.limits.perIp, this.limits.perAccount);
    await poolOf(this.db).query(FAIL, [names, this.limits.windowMs, keep]);
  }

  async succeeded(account: string): Promise<void> {
    await poolOf(this.db).query(CLEAR, [`account:${account}`]);
  }

  private maybeSweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.limits.windowMs) return;
    this.lastSweep = now;
    poolOf(this.db).query(SWEEP, [this.limits.windowMs]).catch(() => {});
  }
}
