export interface RateDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * A per-key call limit: in memory (one instance's calls) or in Postgres (every instance's calls,
 * shared-rate-limiter.ts). GATEWAY_LIMITS_STORE chooses.
 */
export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Records a hit unless it would exceed the limit; returns whether it was allowed. */
  tryAcquire(key: string): RateDecision | Promise<RateDecision>;
}

/** One (user, tool) pair's hits: ascending timestamps; entries before `head` have expired. */
interface HitWindow {
  times: number[];
  head: number;
}

/**
 * Sliding-window rate limit per (user, tool), in memory: a gateway instance limits what passes
 * through it. Each pair keeps the timestamps of its allowed calls in ascending order, so expiring old
 * ones is a pointer move (O(expired), not a copy of the whole window per call — that mattered once a
 * high limit lets thousands of hits sit in one window). Memory stays bounded by about
 * 2 × limit per active (user, tool) pair; idle pairs are swept periodically.
 */
export class SlidingWindowRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, HitWindow>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a hit unless it would exceed the limit; returns whether it was allowed. */
  tryAcquire(key: string, now = Date.now()): RateDecision {
    this.sweep(now);
    const since = now - this.windowMs;
    let w = this.hits.get(key);
    if (!w) {
      w = { times: [], head: 0 };
      this.hits.set(key, w);
    }
    const { times } = w;
    while (w.head < times.length && times[w.head]! <= since) w.head++;
    // Compact once the expired prefix is the larger part, so memory stays proportional to the window.
    if (w.head > 64 && w.head * 2 > times.length) {
      times.splice(0, w.head);
      w.head = 0;
    }
    if (times.length - w.head >= this.limit) {
      return { allowed: false, retryAfterMs: times[w.head]! + this.windowMs - now };
    }
    if (times.length === w.head || times[times.length - 1]! <= now) times.push(now);
    else {
      // The clock went backwards (or a caller passed an earlier `now`): insert in order, so the
      // list stays ascending and expiry by prefix stays exact.
      let i = times.length;
      while (i > w.head && times[i - 1]! > now) i--;
      times.splice(i, 0, now);
    }
    return { allowed: true, retryAfterMs: 0 };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, w] of this.hits) {
      // Ascending: the last timestamp is the newest.
      if (w.times.length === w.head || w.times[w.times.length - 1]! <= now - this.windowMs)
        this.hits.delete(key);
    }
  }
}
