import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallSession } from './call-tool.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

export interface SessionEntry {
  id: string;
  transport: StreamableHTTPServerTransport;
  /** Connected to `transport` once the session is ready (session-open.ts). */
  server: Server;
  /** The token subject that opened the session; only the same subject may use it. */
  subject: string;
  /** The session's user; its privileges are re-read before requests that depend on them (privilege-recheck.ts). */
  callSession: CallSession;
  /** When the privileges were last read (Date.now()). */
  privilegesCheckedAt: number;
  lastSeen: number;
  /** POST requests of this session not yet answered; a session with any is busy, never evicted. */
  inFlight: number;
  /**
   * Removes the entry and closes the session's server (and with it the transport) on this instance
   * only: the session's row (session-store.ts) is the caller's to delete when the session ends.
   */
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
 * The MCP sessions this instance holds, indexed by id. The per-user cap is counted over every
 * instance, in Postgres (session-store.ts admit); this table tells it which of them are busy here.
 */
export class SessionTable {
  private readonly byId = new Map<string, SessionEntry>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SessionEntry | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<SessionEntry> {
    return this.byId.values();
  }

  add(entry: SessionEntry): void {
    this.byId.set(entry.id, entry);
  }

  /** Idempotent: closing paths (DELETE, eviction, idle sweep, transport close) may overlap. */
  remove(id: string): void {
    this.byId.delete(id);
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
