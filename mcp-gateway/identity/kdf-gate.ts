import { PersonaRunnerError } from '../../lib/errors.ts';

/** Thrown when more password checks are waiting than the gateway will queue. */
export class KdfBusyError extends PersonaRunnerError {
  override readonly code = 'KDF_BUSY';
  constructor() {
    super('too many password checks in progress; retry shortly');
  }
}

/**
 * Bounds concurrent password hashing (scrypt: ~50 ms of CPU and 32 MiB each). Without it, a burst
 * of bad logins fills libuv's thread pool and every real login (and every other async fs/crypto
 * call of the process) waits behind it; with it, excess work queues up to `maxQueued` and beyond
 * that is refused at once (503), which costs nothing.
 */
export class KdfGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most that ever ran at once (observability and tests). */
  peak = 0;

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueued) throw new KdfBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // hand the slot over: `active` stays the same
      else this.active--;
    }
  }
}
