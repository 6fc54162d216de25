/**
 * Sliding-window rate limit per (user, tool), in memory: a gateway instance limits what passes
 * through it. Timestamps older than the window are dropped on every check, so memory stays bounded
 * by limit × active (user, tool) pairs; idle pairs are swept periodically.
 */
export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records a hit unless it would exceed the limit; returns whether it was allowed. */
  tryAcquire(key: string, now = Date.now()): { allowed: boolean; retryAfterMs: number } {
    this.sweep(now);
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return { allowed: false, retryAfterMs: list[0]! + this.windowMs - now };
    }
    list.push(now);
    this.hits.set(key, list);
    return { allowed: true, retryAfterMs: 0 };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, list] of this.hits) {
      if (!list.some((t) => t > now - this.windowMs)) this.hits.delete(key);
    }
  }
}
