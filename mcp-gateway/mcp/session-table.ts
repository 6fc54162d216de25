import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallSession } from './call-tool.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

export interface SessionEntry {
  id: string;
  transport: StreamableHTTPServerTransport;
  /** The token subject that opened the session; only the same subject may use it. */
  subject: string;
  /** The session's user; its privileges are re-read before requests that depend on them (privilege-recheck.ts). */
  callSession: CallSession;
  /** When the privileges were last read (Date.now()). */
  privilegesCheckedAt: number;
  lastSeen: number;
  /** POST requests of this session not yet answered; a session with any is busy, never evicted. */
  inFlight: number;
  /** Removes the entry and closes the session's server (and with it the transport). */
  close(): Promise<void>;
}

/** Thrown when a user at the session cap opens another session while every one of theirs is busy. */
export class SessionCapError extends PersonaRunnerError {
  override readonly code = 'SESSION_CAP';
  constructor(readonly cap: number) {
    super(
      `too many open MCP sessions: this user already has ${cap} (GATEWAY_MAX_SESSIONS_PER_USER), all with ` +
        'a request in flight; close one (DELETE /mcp) or retry when a call has finished',
    );
  }
}

/**
 * The open MCP sessions, indexed by id and by user, with a per-user cap. Every mutation is
 * synchronous, so admitting a session and registering it (with no await between) cannot race
 * another initialize of the same user past the cap.
 */
export class SessionTable {
  private readonly byId = new Map<string, SessionEntry>();
  private readonly byUser = new Map<string, Set<SessionEntry>>();

  constructor(private readonly maxPerUser: number) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SessionEntry | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<SessionEntry> {
    return this.byId.values();
  }

  countFor(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /**
   * Makes room for one more session of `userId`. Under the cap: nothing to do (undefined). At the
   * cap: removes and returns the user's least recently used idle session, for the caller to close —
   * "oldest" by last request, so a long-lived session in steady use outlives abandoned ones. When
   * every session of the user is busy, throws SessionCapError: evicting one would fail a call the
   * client is waiting for.
   */
  admit(userId: string): SessionEntry | undefined {
    const own = this.byUser.get(userId);
    if (!own || own.size < this.maxPerUser) return undefined;
    let victim: SessionEntry | undefined;
    for (const s of own) if (s.inFlight === 0 && (!victim || s.lastSeen < victim.lastSeen)) victim = s;
    if (!victim) throw new SessionCapError(this.maxPerUser);
    this.remove(victim.id);
    return victim;
  }

  add(entry: SessionEntry): void {
    this.byId.set(entry.id, entry);
    const userId = entry.callSession.user.id;
    let own = this.byUser.get(userId);
    if (!own) this.byUser.set(userId, (own = new Set()));
    own.add(entry);
  }

  /** Idempotent: closing paths (DELETE, eviction, idle sweep, transport close) may overlap. */
  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    const userId = entry.callSession.user.id;
    const own = this.byUser.get(userId);
    own?.delete(entry);
    if (own?.size === 0) this.byUser.delete(userId);
  }

  /** Marks a request of `entry` in flight until the returned function runs (once; later calls no-op). */
  begin(entry: SessionEntry): () => void {
    entry.inFlight++;
    entry.lastSeen = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      entry.inFlight--;
      entry.lastSeen = Date.now();
    };
  }
}
