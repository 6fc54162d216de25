import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { mcpSessions, users } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import type { CallSession } from './call-tool.ts';
import { SessionCapError } from './session-table.ts';
import { UnknownSubjectError } from './session-user.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

/** What an instance needs to rebuild a session it did not open (session-open.ts). */
export interface StoredSession {
  id: string;
  userId: string;
  subject: string;
  protocolVersion: string;
  clientCapabilities: unknown;
  clientInfo: unknown;
}

/** Thrown when a session this instance holds was closed elsewhere (DELETE, eviction, expiry). */
export class SessionGoneError extends PersonaRunnerError {
  override readonly code = 'SESSION_GONE';
}

/** This instance's knowledge of one of its sessions, for choosing whom to evict at the cap. */
export type LocalUse = (id: string) => { busy: boolean; lastSeen: number } | undefined;

/**
 * The MCP sessions of every gateway instance, in Postgres (schema/gateway-state.ts): a row per open
 * session, written on initialize, read by an instance that meets a session it does not hold, deleted
 * when the session ends anywhere. `last_seen_at` is touched at most once per `touchEveryMs` per
 * session (during the privilege re-read, which already reads the row), never once per call.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly touchEveryMs: number,
  ) {}

  /**
   * Admits and records a new session of `record.userId` under the per-user cap counted over every
   * instance: under the cap it is recorded; at the cap the least recently used session that is not
   * busy here is deleted (its id returned, for the caller to close if it holds it — another instance
   * holding it drops it at its next request); when every one is busy here, SessionCapError. One
   * transaction serialised per user (advisory lock), so two instances cannot both pass the cap.
   */
  async admit(record: StoredSession & { tier: string }, cap: number, local: LocalUse): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('mcp_sessions'), hashtext(${record.userId}))`);
      const own = await tx
        .select({ id: mcpSessions.id, lastSeenAt: mcpSessions.lastSeenAt })
        .from(mcpSessions)
        .where(eq(mcpSessions.userId, record.userId));
      let evicted: string | undefined;
      if (own.length >= cap) {
        // Local use is exact (per request); another instance's is the row's, touched less often.
        let victim: { id: string; at: number } | undefined;
        for (const row of own) {
          const here = local(row.id);
          if (here?.busy) continue;
          const at = here ? here.lastSeen : row.lastSeenAt.getTime();
          if (!victim || at < victim.at) victim = { id: row.id, at };
        }
        if (!victim) throw new SessionCapError(cap);
        await tx.delete(mcpSessions).where(eq(mcpSessions.id, victim.id));
        evicted = victim.id;
      }
      await tx.insert(mcpSessions).values({
        id: record.id,
        userId: record.userId,
        subject: record.subject,
        protocolVersion: record.protocolVersion,
        clientCapabilities: record.clientCapabilities,
        clientInfo: record.clientInfo,
        tier: record.tier,
      });
      return evicted;
    });
  }

  async find(id: string): Promise<StoredSession | undefined> {
    const [row] = await this.db.select().from(mcpSessions).where(eq(mcpSessions.id, id)).limit(1);
    return row;
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(mcpSessions).where(eq(mcpSessions.id, id));
  }

  /** Deletes the rows of sessions idle (on every instance) since before `cutoff`. */
  async removeIdle(cutoff: Date, ids?: string[]): Promise<void> {
    const idle = lt(mcpSessions.lastSeenAt, cutoff);
    await this.db.delete(mcpSessions).where(ids ? and(idle, inArray(mcpSessions.id, ids)) : idle);
  }

  /** Of `ids`, those with no row any more (closed on another instance). */
  async gone(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const live = await this.db
      .select({ id: mcpSessions.id })
      .from(mcpSessions)
      .where(inArray(mcpSessions.id, ids));
    const alive = new Set(live.map((r) => r.id));
    return ids.filter((id) => !alive.has(id));
  }

  /**
   * Re-reads what may change while a session is open — the user's tier and destructive opt-in — into
   * the session's user, and whether the session still exists, in one indexed read: a demoted admin
   * loses admin tools at once, and a session closed on another instance ends here too. Touches the
   * row when its `last_seen_at` is older than `touchEveryMs`. Throws UnknownSubjectError when the user
   * no longer exists, SessionGoneError when the session does not.
   */
  async recheck(sessionId: string, session: CallSession): Promise<void> {
    const [row] = await this.db
      .select({ tier: users.tier, destructiveOptIn: users.destructiveOptIn, lastSeenAt: mcpSessions.lastSeenAt })
      .from(users)
      .leftJoin(mcpSessions, eq(mcpSessions.id, sessionId))
      .where(eq(users.id, session.user.id))
      .limit(1);
    if (!row) throw new UnknownSubjectError('the user of this session no longer exists');
    if (!row.lastSeenAt) throw new SessionGoneError(`session ${sessionId} was closed`);
    session.user.isAdmin = row.tier === 'admin';
    session.user.destructiveOptIn = row.destructiveOptIn;
    if (Date.now() - row.lastSeenAt.getTime() >= this.touchEveryMs)
      await this.db.update(mcpSessions).set({ lastSeenAt: sql`now()` }).where(eq(mcpSessions.id, sessionId));
  }
}
