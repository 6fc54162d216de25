import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/**
 * One MCP session of a persona and the calls running on it. A slot is retired (replaced by a new
 * session) when the gateway no longer knows its session id; it is closed only once its last call
 * has finished, so a reconnect never pulls a client from under a sibling call that is still waiting
 * for its answer (closing it would fail that call with "-32000 Connection closed").
 */
export class SessionSlot {
  private inFlight = 0;
  private retired = false;
  private closing?: Promise<void>;

  constructor(readonly client: Promise<Client>) {
    // A failed connect is reported to whoever awaits it; this only keeps it from being "unhandled".
    client.catch(() => {});
  }

  async run<T>(work: (client: Client) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work(await this.client);
    } finally {
      this.inFlight--;
      void this.closeIfIdle();
    }
  }

  /**
   * No new calls go to this session; it closes when its calls in flight are done. The promise is
   * the close when that happens now (nothing in flight), so a shutdown can wait for it.
   */
  retire(): Promise<void> {
    this.retired = true;
    return this.closeIfIdle();
  }

  private closeIfIdle(): Promise<void> {
    if (!this.retired || this.inFlight > 0) return Promise.resolve();
    return (this.closing ??= this.client.then((c) => c.close()).catch(() => {}));
  }
}

/** Why a call should be repeated once on a fresh session, or undefined when it should not. */
export function staleSessionReason(err: unknown): 'session' | 'token' | undefined {
  if (err instanceof StreamableHTTPError) {
    // 404: the gateway does not know the session id (it restarted, or the session idled out).
    if (err.code === 404) return 'session';
    if (err.code === 401) return 'token';
  }
  // The transport under this session was closed (by a reconnect elsewhere, or the client itself):
  // the call may or may not have reached the gateway; repeating it with its idempotency key is safe.
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) return 'session';
  if (err instanceof Error && /session .*not found/i.test(err.message)) return 'session';
  return undefined;
}
