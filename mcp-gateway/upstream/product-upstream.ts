import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../lib/logger.ts';
import type { PlaceholderUser } from '../../lib/products/placeholders.ts';
import type { ProductConfig } from '../../lib/products/products-config.ts';
import type { Redactor } from './redaction.ts';
import { resolveTransport } from './resolve-transport.ts';
import { mapProductTools, ToolMappingError, type ExposedTool } from './tool-mapping.ts';
import { UpstreamConnection, UpstreamUnavailableError } from './upstream-connection.ts';

export interface ProductDeps {
  logger: Logger;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  seedSecret: string;
  backoff?: { initialMs: number; maxMs: number };
  /** Called when the exposed tool list of this product changed. */
  onToolsChanged(): void;
  /** Who else exposes `name` already (another product, the built-in product), if anyone. */
  takenBy(name: string): string | undefined;
}

/** How much of a reason `/health` shows. */
const HEALTH_REASON_CHARS = 300;

/** `text` cut in the middle to `max` characters: our words come first, a child's last words last. */
function trimmed(text: string | null, max: number): string | null {
  if (!text || text.length <= max) return text;
  const head = Math.floor(max / 3);
  return `${text.slice(0, head)}…${text.slice(-(max - head - 1))}`;
}

/**
 * Stands in for a user while the gateway learns a per-user product's tools (and watches its health):
 * its own upstream session, so no real user's data is touched. Its id is no user id (those are
 * UUIDs), so `${user.secret}` of no account equals its; its email's domain cannot be signed up.
 */
export const DISCOVERY_USER: PlaceholderUser = {
  id: 'gateway-discovery',
  email: 'gateway-discovery@gateway.invalid',
};

/**
 * One federated product: its upstream session(s) and its exposed tools. `shared`: one session for
 * everyone. `per-user`: one session per gateway user (for stdio a child process each), opened on the
 * user's first call, closed after `idleSeconds` unused, at most `maxSessions` at once. The listing
 * comes from the main session alone (for per-user products the discovery session): what a user's own
 * session would list — an upstream may personalise it — never reaches other users.
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
    this.main = this.open(config.isolation === 'per-user' ? DISCOVERY_USER : undefined, true);
    if (config.isolation === 'per-user') {
      this.sweep = setInterval(() => this.closeIdle(), Math.min(config.idleSeconds * 1000, 30_000));
      this.sweep.unref();
    }
  }

  /** A session for `user` (the shared one when undefined); `lists`: the product's listing comes from it. */
  private open(user: PlaceholderUser | undefined, lists = false): UpstreamConnection {
    const { transport, redactor, stderrRedactor } = resolveTransport(this.config, {
      env: this.deps.env,
      dataDir: this.deps.dataDir,
      seedSecret: this.deps.seedSecret,
      user,
    });
    return new UpstreamConnection({
      product: this.config.name,
      transport,
      redactor,
      stderrRedactor,
      logger: this.deps.logger,
      limits: this.config,
      timeoutMs: this.config.callTimeoutSeconds * 1000,
      backoff: this.deps.backoff ?? { initialMs: 250, maxMs: this.config.reconnectMaxSeconds * 1000 },
      ...(lists && { onTools: (tools: Tool[]) => this.setTools(tools, redactor) }),
    });
  }

  /** A new listing from the main session; an unmappable one keeps the old tools. */
  private setTools(listed: Tool[], redactor: Redactor): void {
    // A tool that names or describes our credentials is no tool we show anyone.
    const tools = redactor.value(listed);
    try {
      const mapped = mapProductTools(this.config, tools, {
        takenBy: (name) => this.deps.takenBy(name),
        warn: (message) => this.deps.logger.warn({ product: this.config.name }, message),
      });
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

  /**
   * What `/health` shows (unauthenticated): state, the class of the last error and its reason
   * trimmed — in our words, or a child's own last words on stderr, credentials and the products
   * file's env values masked. All 4 KB of stderr are in the log and `personas products` (details()).
   */
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
      error: this.mappingError ? ('tool-mapping' as const) : (this.main.errorClass ?? null),
      reason: trimmed(this.lastError(), HEALTH_REASON_CHARS),
    };
  }

  /** Why the product is not usable: a short reason in our words, credentials masked; null when it is. */
  lastError(): string | null {
    return this.mappingError ?? this.main.lastError ?? null;
  }

  /** health() with the reason, for the operator's own `personas products`. */
  details() {
    return { ...this.health(), lastError: this.lastError(), stderr: this.main.lastStderr ?? null };
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([this.main, ...this.perUser.values()].map((c) => c.close()));
    this.perUser.clear();
  }
}
