import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../lib/logger.ts';
import { expandPlaceholders, expandRecord, type PlaceholderUser } from '../../lib/products/placeholders.ts';
import type { ProductConfig } from '../../lib/products/products-config.ts';
import { mapProductTools, ToolMappingError, type ExposedTool } from './tool-mapping.ts';
import {
  UpstreamConnection,
  UpstreamUnavailableError,
  type ResolvedTransport,
} from './upstream-connection.ts';

export interface ProductDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  seedSecret: string;
  backoff?: { initialMs: number; maxMs: number };
  /** Called when the exposed tool list of this product changed. */
  onToolsChanged(): void;
}

/**
 * Stands in for a user while the gateway learns a per-user product's tools (and watches its health):
 * its own upstream session, so no real user's data is touched.
 */
const DISCOVERY_USER: PlaceholderUser = {
  id: 'gateway-discovery',
  email: 'gateway-discovery@gateway.invalid',
};

/**
 * One federated product: its upstream session(s) and its exposed tools. `shared`: one session for
 * everyone. `per-user`: one session per gateway user (for stdio a child process each), opened on the
 * user's first call, closed after `idleSeconds` unused, at most `maxSessions` at once.
 */
export class ProductUpstream {
  tools: ExposedTool[] = [];
  mappingError: string | undefined;
  private readonly main: UpstreamConnection;
  private readonly perUser = new Map<string, UpstreamConnection>();
  private readonly sweep: NodeJS.Timeout | undefined;

  constructor(
    readonly config: ProductConfig,
    private readonly deps: ProductDeps,
  ) {
    this.main = this.open(config.isolation === 'per-user' ? DISCOVERY_USER : undefined);
    if (config.isolation === 'per-user') {
      this.sweep = setInterval(() => this.closeIdle(), Math.min(config.idleSeconds * 1000, 30_000));
      this.sweep.unref();
    }
  }

  private resolve(user: PlaceholderUser | undefined): ResolvedTransport {
    const ctx = {
      env: this.deps.env,
      dataDir: this.deps.dataDir,
      product: this.config.name,
      seedSecret: this.deps.seedSecret,
      user,
    };
    const t = this.config.transport;
    return t.type === 'stdio'
      ? {
          type: 'stdio',
          command: expandPlaceholders(t.command, ctx),
          args: t.args.map((a) => expandPlaceholders(a, ctx)),
          env: expandRecord(t.env, ctx),
          cwd: t.cwd && expandPlaceholders(t.cwd, ctx),
        }
      : { type: 'http', url: expandPlaceholders(t.url, ctx), headers: expandRecord(t.headers, ctx) };
  }

  private open(user: PlaceholderUser | undefined): UpstreamConnection {
    return new UpstreamConnection({
      product: this.config.name,
      transport: this.resolve(user),
      logger: this.deps.logger,
      backoff: this.deps.backoff ?? { initialMs: 250, maxMs: this.config.reconnectMaxSeconds * 1000 },
      onTools: (tools) => this.setTools(tools),
    });
  }

  /** A new listing from any of the product's sessions; an unmappable one keeps the old tools. */
  private setTools(tools: Tool[]): void {
    try {
      const mapped = mapProductTools(this.config, tools);
      this.mappingError = undefined;
      const before = this.tools.map((t) => JSON.stringify(t.listing)).join('\n');
      this.tools = mapped;
      if (mapped.map((t) => JSON.stringify(t.listing)).join('\n') !== before) this.deps.onToolsChanged();
    } catch (err) {
      if (!(err instanceof ToolMappingError)) throw err;
      this.mappingError = err.message;
      this.deps.logger.error(
        { product: this.config.name, problems: err.problems },
        'upstream tools cannot be mapped',
      );
    }
  }

  /** Whether the product can take calls now (its main session is up). */
  isUp(): boolean {
    return this.main.state === 'up';
  }

  /** Waits for the first connection attempt of the main session. */
  async started(): Promise<void> {
    await this.main.whenSettled();
  }

  /** The session a user's call goes to. */
  connectionFor(user: PlaceholderUser): UpstreamConnection {
    if (this.config.isolation === 'shared') return this.main;
    let conn = this.perUser.get(user.id);
    if (conn) {
      conn.lastUsed = Date.now();
      return conn;
    }
    if (this.perUser.size >= this.config.maxSessions) {
      const idle = [...this.perUser.entries()]
        .filter(([, c]) => c.inFlight === 0)
        .sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0];
      if (!idle)
        throw new UpstreamUnavailableError(
          `${this.config.name} has ${this.config.maxSessions} busy sessions (maxSessions); try again shortly`,
        );
      this.perUser.delete(idle[0]);
      void idle[1].close();
    }
    conn = this.open(user);
    this.perUser.set(user.id, conn);
    return conn;
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.config.idleSeconds * 1000;
    for (const [id, c] of this.perUser) {
      if (c.inFlight === 0 && c.lastUsed < cutoff) {
        this.perUser.delete(id);
        void c.close();
      }
    }
  }

  health() {
    return {
      name: this.config.name,
      transport: this.config.transport.type,
      isolation: this.config.isolation,
      status:
        this.main.state === 'up'
          ? ('up' as const)
          : this.main.state === 'connecting'
            ? ('connecting' as const)
            : ('down' as const),
      tools: this.tools.length,
      inFlight: [this.main, ...this.perUser.values()].reduce((n, c) => n + c.inFlight, 0),
      exposed: this.tools.map((t) => t.name),
      ...(this.config.isolation === 'per-user' ? { sessions: this.perUser.size } : {}),
      lastError: this.mappingError ?? this.main.lastError ?? null,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([this.main, ...this.perUser.values()].map((c) => c.close()));
    this.perUser.clear();
  }
}
