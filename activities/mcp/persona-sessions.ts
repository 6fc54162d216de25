import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { loginViaGateway } from './gateway-auth.ts';

interface Entry {
  token?: { value: string; expiresAt: number };
  client?: Promise<Client>;
}

/**
 * Per-worker cache of persona tokens and MCP sessions. Tokens are secrets, so they live here, in
 * the worker's memory, never in workflow history; after a worker restart the next activity simply
 * logs in again (the password is re-derived from the seed secret).
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

  private async client(personaId: string): Promise<Client> {
    const e = this.entry(personaId);
    e.client ??= (async () => {
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
    })();
    try {
      return await e.client;
    } catch (err) {
      e.client = undefined;
      throw err;
    }
  }

  /** Drops the persona's session (after a gateway restart its session id is unknown: 404). */
  async reset(personaId: string): Promise<void> {
    const e = this.entries.get(personaId);
    const c = e?.client;
    if (e) e.client = undefined;
    await c?.then((cl) => cl.close()).catch(() => {});
  }

  async listTools(personaId: string): Promise<Tool[]> {
    // Every persona is a non-admin user, so one listing serves all of them.
    this.toolList ??= this.client(personaId)
      .then((c) => c.listTools())
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
    const attempt = async () => {
      const client = await this.client(personaId);
      return (await client.callTool({ name, arguments: args, _meta: { idempotencyKey } }, undefined, {
        timeout: this.opts.callTimeoutMs ?? 30_000,
      })) as CallToolResult;
    };
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof StreamableHTTPError && (err.code === 404 || err.code === 401)) {
        await this.reset(personaId);
        if (err.code === 401) this.entry(personaId).token = undefined;
        return attempt();
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.reset(id)));
  }
}
