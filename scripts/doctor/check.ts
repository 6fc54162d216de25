// What one `personas doctor` check reports: a line with ✓ or ✗, and for ✗ the fix, in words a user
// can act on.
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** For a failed check: what to do. */
  fix?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  ok: false,
  detail,
  fix,
});

/** A promise that gives up after `ms` with `what` timed out (a doctor never hangs on a dead host). */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
