import type { Response } from 'express';
import type { Db } from '../../lib/db/client.ts';
import type { TokenClaims } from '../identity/tokens.ts';
import { forbidden, notFound, subjectOf } from './mcp-answers.ts';
import { openSessionEntry, type SessionOpenDeps } from './session-open.ts';
import type { SessionStore } from './session-store.ts';
import type { SessionEntry, SessionTable } from './session-table.ts';
import { resolveSessionUser } from './session-user.ts';

/**
 * Continues, on this instance, sessions opened on another one (or before a restart): a request for a
 * session this instance does not hold rebuilds it from its row (session-store.ts) for the subject
 * that opened it, once however many of its requests arrive together. Throws UnknownSubjectError
 * when the token's subject is nobody.
 */
export function sessionRestorer(opts: {
  deps: SessionOpenDeps & { db: Db; kek: Buffer };
  sessions: SessionTable;
  store: SessionStore;
  onClosedByClient(id: string): Promise<void>;
}) {
  const { deps, sessions, store } = opts;
  const restoring = new Map<string, Promise<void>>();

  /**
   * Rebuilds a session this instance does not hold from its row, for the subject that opened it.
   * Answers (404, 403, 401) and returns undefined when it cannot.
   */
  async function restore(id: string, claims: TokenClaims, res: Response): Promise<SessionEntry | undefined> {
    const stored = await store.find(id);
    if (!stored) return void notFound(res, id);
    if (stored.subject !== subjectOf(claims)) return void forbidden(res);
    const callSession = await resolveSessionUser(deps.db, deps.kek, claims);
    if (callSession.user.id !== stored.userId) return void forbidden(res);
    // Another request of the same session may have rebuilt it meanwhile: one entry per session.
    const held = sessions.get(id);
    if (held) return held;
    const entry = openSessionEntry(deps, sessions, {
      id,
      subject: stored.subject,
      callSession,
      adopt: stored,
      onClosedByClient: opts.onClosedByClient,
    });
    await entry.server.connect(entry.transport);
    deps.metrics.sessionsRestored.inc();
    return entry;
  }

  /** The session for `id`, held here or rebuilt; undefined once an error answer has been sent. */
  async function lookup(id: string, claims: TokenClaims, res: Response): Promise<SessionEntry | undefined> {
    const held = sessions.get(id);
    if (held) return held;
    // Concurrent first requests for one session wait for one rebuild, then check their own subject.
    const pending = restoring.get(id);
    if (pending) {
      await pending;
      const built = sessions.get(id);
      if (built) return built;
    }
    let done!: () => void;
    restoring.set(id, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await restore(id, claims, res);
    } finally {
      restoring.delete(id);
      done();
    }
  }

  return { lookup };
}
