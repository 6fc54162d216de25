import type { Logger } from '../../lib/logger.ts';
import type { SessionStore } from './session-store.ts';
import type { SessionTable } from './session-table.ts';

/**
 * Expires idle sessions on this instance and in Postgres, every min(idleMs, 60 s):
 * - an entry idle here for `idleMs` is closed here; its row is deleted only if no instance has used
 *   the session either (its row's last_seen_at is as old), since a load balancer may have sent its
 *   recent requests elsewhere;
 * - rows idle everywhere (their instance died, or the client left) are deleted by whichever instance
 *   sweeps first;
 * - entries whose row is gone (closed or expired on another instance) are dropped here.
 * A session waiting on a slow call is not idle, however long ago the call began.
 */
export function sessionSweeper(opts: {
  sessions: SessionTable;
  store: SessionStore;
  idleMs: number;
  /** How far a row's last_seen_at may lag the session's last use (touch and re-read intervals). */
  rowGraceMs: number;
  logger: Logger;
}) {
  const { sessions, store, idleMs } = opts;
  let running = false;

  async function sweep(): Promise<void> {
    const now = Date.now();
    const cutoff = now - idleMs;
    for (const s of [...sessions.values()]) if (s.inFlight === 0 && s.lastSeen < cutoff) void s.close();
    await store.removeIdle(new Date(cutoff - opts.rowGraceMs));
    const held = [...sessions.values()].filter((s) => s.inFlight === 0);
    const gone = new Set(await store.gone(held.map((s) => s.id)));
    for (const s of held) if (gone.has(s.id)) void s.close();
  }

  const timer = setInterval(
    () => {
      if (running) return;
      running = true;
      sweep()
        .catch((err: unknown) => opts.logger.warn({ err }, 'session sweep failed; retrying at the next one'))
        .finally(() => (running = false));
    },
    Math.min(idleMs, 60_000),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
