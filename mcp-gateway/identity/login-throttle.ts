/**
 * Failed-login throttle, in memory per gateway instance: a key (an account, or a client IP) that
 * failed `limit` times within `windowMs` is refused until its oldest failure in the window expires.
 * Refused attempts are not counted again, so a locked key unlocks on schedule; a success clears the
 * account's failures. Memory: at most `limit` timestamps per key, at most `maxKeys` keys (the
 * oldest key is dropped first — losing a stale counter only ever relaxes the throttle).
 */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const times = this.live(key, now);
    if (times.length < this.limit) return 0;
    return times[0]! + this.windowMs - now;
  }

  fail(key: string, now = Date.now()): void {
    const times = this.live(key, now);
    times.push(now);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.failures.delete(key); // re-insert: Map order is then "least recently failed first"
    this.failures.set(key, times);
    if (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private live(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const since = now - this.windowMs;
    while (times.length && times[0]! <= since) times.shift();
    if (!times.length) this.failures.delete(key);
    return times;
  }
}

/** Who a login attempt is counted against: the client's IP, and the account when there is one. */
export interface LoginKeys {
  ip: string;
  account?: string;
}

/**
 * Failed-login throttling per account and per client IP: in memory (one instance's failures) or in
 * Postgres (every instance's, shared-login-throttle.ts). GATEWAY_LIMITS_STORE chooses.
 */
export interface LoginThrottle {
  /** Milliseconds until these keys may try again (the longest wait of the two); 0 when they may now. */
  retryAfterMs(keys: LoginKeys): Promise<number>;
  /** Counts one failure against each key. */
  fail(keys: LoginKeys): Promise<void>;
  /** A successful login clears the account's failures (never the IP's). */
  succeeded(account: string): Promise<void>;
}

export interface LoginThrottleLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

/** One instance's view: two FailureThrottles, one per kind of key. */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly perAccount: FailureThrottle;
  private readonly perIp: FailureThrottle;

  constructor(limits: LoginThrottleLimits) {
    this.perAccount = new FailureThrottle(limits.perAccount, limits.windowMs);
    this.perIp = new FailureThrottle(limits.perIp, limits.windowMs);
  }

  async retryAfterMs(keys: LoginKeys): Promise<number> {
    const ip = this.perIp.retryAfterMs(keys.ip);
    return keys.account === undefined ? ip : Math.max(ip, this.perAccount.retryAfterMs(keys.account));
  }

  async fail(keys: LoginKeys): Promise<void> {
    this.perIp.fail(keys.ip);
    if (keys.account !== undefined) this.perAccount.fail(keys.account);
  }

  async succeeded(account: string): Promise<void> {
    this.perAccount.clear(account);
  }
}
