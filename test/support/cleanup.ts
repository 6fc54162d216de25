// One way to stop what a starter started, for tests (node:test's after() calls `run`) and benchmarks
// (which call it in a finally, or on Ctrl-C) alike; a test's starters register theirs with after().

/**
 * Cleanups run last-registered first, once; one failing does not keep the others from running. A
 * failure goes to `onError` when given (benchmarks log it), else `run()` rejects with the first one
 * after all have run (a test should see a cleanup that failed).
 */
export class Cleanups {
  private readonly fns: Array<() => Promise<unknown> | unknown> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly onError?: (err: unknown) => void) {}

  add(fn: () => Promise<unknown> | unknown): void {
    this.fns.push(fn);
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      const failures: unknown[] = [];
      for (const fn of this.fns.splice(0).reverse()) {
        try {
          await fn();
        } catch (err) {
          if (this.onError) this.onError(err);
          else failures.push(err);
        }
      }
      if (failures.length) throw failures[0];
    })());
  }
}

/** Runs `start`, and when it throws runs what was registered so far before rethrowing. */
export async function startOrClean<T>(cleanups: Cleanups, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    await cleanups.run();
    throw err;
  }
}
