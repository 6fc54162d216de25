import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { GOAL_CHECK_META } from '../../lib/personas/goals.ts';
import { loginViaGateway } from './gateway-auth.ts';
import { SessionSlot, staleSessionReason } from './session-slot.ts';

interface Entry {
  token?: { value: string; expiresAt: number };
  /** The persona's current session; replaced (single-flight) when the gateway forgets it. */
  slot?: SessionSlot;
}

/**
 * Per-worker cache of persona tokens and MCP sessions. Tokens are secrets, so they live here, in
 * the worker's memory, never in workflow history; after a worker restart the next activity simply
 * logs in again (the password is re-derived from the seed secret).
 *
 * Reconnects are single-flight per persona: when a call finds its session gone (404 after a gateway
 * restart), the first one to notice replaces the session and every sibling that hit the same stale
 * session repeats its call once on that same new one. Repeating is safe: tool calls carry an
 * idempotency key.
 */
export class PersonaSessions {
  private readonly entries = new Map<string, Entry>();
  private toolList?: Promise<Tool[]>;

  constructor(
    private readonly opts: {
      gatewayUrl: string;
      /** Re-derives the persona's credentials (email + password) from the database and seed secret. */
      credentials(personaId: string): Promise<{ email: string; password: string }>;
      callTimeoutMs?: number;
    },
  ) {}

  private entry(personaId: string): Entry {
    let e = this.entries.get(personaId);
    if (!e) this.entries.set(personaId, (e = {}));
    return e;
  }

  /** A valid token for the persona, logging in when missing or about to expire. */
  async token(personaId: string): Promise<string> {
    const e = this.entry(personaId);
    if (!e.token || e.token.expiresAt - Date.now() < 60_000) {
      const { email, password } = await this.opts.credentials(personaId);
      const t = await loginViaGateway(this.opts.gatewayUrl, email, password);
      e.token = { value: t.token, expiresAt: t.expiresAt };
    }
    return e.token.value;
  }

  /** The persona's current session, opening one (shared by every concurrent caller) when there is none. */
  private slot(personaId: string): SessionSlot {
    const e = this.entry(personaId);
    if (e.slot) return e.slot;
    const slot = new SessionSlot(this.connect(personaId));
    e.slot = slot;
    // A session that could not be opened is forgotten, so the next call tries again.
    slot.client.catch(() => {
      if (e.slot === slot) e.slot = undefined;
    });
    return slot;
  }

  private async connect(personaId: string): Promise<Client> {
    const client = new Client({ name: 'persona-runner-worker', version: '0.1.0' });
    // A federated product's tools can change (the gateway says so): list them again next time.
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.toolList = undefined;
    });
    const transport = new StreamableHTTPClientTransport(new URL(`${this.opts.gatewayUrl}/mcp`), {
      // The header is computed per request, so a refreshed token keeps the same session.
      fetch: async (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${await this.token(personaId)}`);
        return fetch(url, { ...init, headers });
      },
    });
    await client.connect(transport);
    return client;
  }

  /**
   * Runs `work` on the persona's session. If the session turns out stale, it is replaced — only if
   * it is still the current one, so concurrent callers share one reconnect — and `work` runs once
   * more on the new session. Other errors (gateway down, timeouts) go to the caller.
   */
  private async withSession<T>(personaId: string, work: (client: Client) => Promise<T>): Promise<T> {
    const first = this.slot(personaId);
    try {
      return await first.run(work);
    } catch (err) {
      const reason = staleSessionReason(err);
      if (!reason) throw err;
      const e = this.entry(personaId);
      if (e.slot === first) {
        e.slot = undefined;
        if (reason === 'token') e.token = undefined;
      }
      void first.retire();
      return this.slot(personaId).run(work);
    }
  }

  /** Drops the persona's session; calls in flight on it finish first. */
  async reset(personaId: string): Promise<void> {
    const e = this.entries.get(personaId);
    const slot = e?.slot;
    if (e) e.slot = undefined;
    await slot?.retire();
  }

  async listTools(personaId: string): Promise<Tool[]> {
    // Every persona is a non-admin user, so one listing serves all of them.
    this.toolList ??= this.withSession(personaId, (c) => c.listTools())
      .then((r) => r.tools)
      .catch((err: unknown) => {
        this.toolList = undefined;
        throw err;
      });
    return this.toolList;
  }

  async callTool(
    personaId: string,
    name: string,
    args: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<CallToolResult> {
    return this.withSession(
      personaId,
      async (client) =>
        (await client.callTool({ name, arguments: args, _meta: { idempotencyKey } }, undefined, {
          timeout: this.opts.callTimeoutMs ?? 30_000,
        })) as CallToolResult,
    );
  }

  /**
   * A goal check: a call as the persona, marked so the gateway refuses it unless the tool only reads
   * (GOAL_CHECK_META); no idempotency key, nothing to repeat safely or not.
   */
  async checkTool(personaId: string, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return this.withSession(
      personaId,
      async (client) =>
        (await client.callTool({ name, arguments: args, _meta: { [GOAL_CHECK_META]: true } }, undefined, {
          timeout: this.opts.callTimeoutMs ?? 30_000,
        })) as CallToolResult,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.reset(id)));
  }
}
