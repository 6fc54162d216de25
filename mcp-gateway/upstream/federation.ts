import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../lib/logger.ts';
import type { ProductsConfig } from '../../lib/products/products-config.ts';
import { ProductUpstream } from './product-upstream.ts';
import { PRODUCT_SEPARATOR, type ExposedTool } from './tool-mapping.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

/** Thrown at start when a product's tools cannot be exposed (the message says which and how to fix it). */
export class FederationStartError extends PersonaRunnerError {
  override readonly code = 'FEDERATION_START';
}

export interface FederationDeps {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  seedSecret: string;
  backoff?: { initialMs: number; maxMs: number };
  /** The built-in product's tool names, when it is served: no product may expose one of them. */
  builtinNames?: readonly string[];
}

/**
 * Every upstream product the gateway federates. Start waits for each product's first connection
 * attempt (an upstream that is down does not stop the gateway: it keeps reconnecting and `/health`
 * says so); a tool that cannot be exposed under a valid name, or under a name that another product
 * or the built-in product exposes, is a start-up error naming both. A product that comes up later
 * with a clashing name keeps its previous tools (its error says why), so names stay unique.
 */
export class Federation {
  readonly products: ProductUpstream[];
  private readonly listeners = new Set<() => void>();
  private readonly builtin: ReadonlySet<string>;

  private constructor(config: ProductsConfig, deps: FederationDeps) {
    this.builtin = new Set(deps.builtinNames ?? []);
    this.products = config.products.map(
      (p) =>
        new ProductUpstream(p, {
          logger: deps.logger.child({ product: p.name }),
          env: deps.env ?? process.env,
          dataDir: deps.dataDir,
          seedSecret: deps.seedSecret,
          backoff: deps.backoff,
          onToolsChanged: () => this.changed(),
          takenBy: (name) => this.takenBy(name, p.name),
        }),
    );
  }

  /** Who other than `product` exposes `name`. */
  private takenBy(name: string, product: string): string | undefined {
    if (this.builtin.has(name)) return 'the built-in product';
    const other = this.products.find(
      (p) => p.config.name !== product && p.tools.some((t) => t.name === name),
    );
    return other && `product ${other.config.name}`;
  }

  /** `strict: false` (the products command) reports unmappable tools instead of refusing to start. */
  static async start(
    config: ProductsConfig,
    deps: FederationDeps,
    { strict = true }: { strict?: boolean } = {},
  ): Promise<Federation> {
    const federation = new Federation(config, deps);
    await Promise.all(federation.products.map((p) => p.started()));
    const broken = federation.products.filter((p) => p.mappingError);
    if (strict && broken.length) {
      await federation.close();
      throw new FederationStartError(broken.map((p) => p.mappingError).join('\n'));
    }
    return federation;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Subscribes to changes of the exposed tool list; returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The exposed tools of every product, in configuration order. */
  tools(): ExposedTool[] {
    return this.products.flatMap((p) => p.tools);
  }

  listings(): Tool[] {
    return this.tools().map((t) => t.listing);
  }

  lookup(name: string): { product: ProductUpstream; tool: ExposedTool } | undefined {
    for (const product of this.products) {
      const tool = product.tools.find((t) => t.name === name);
      if (tool) return { product, tool };
    }
    return undefined;
  }

  /**
   * The product a name belongs to by its `<product>__` prefix, when that product is not up: a tool of
   * a product that was down at start is not known yet, and calling it is an infra error, not a typo.
   */
  unavailableProductFor(name: string): ProductUpstream | undefined {
    return this.products.find((p) => name.startsWith(`${p.config.name}${PRODUCT_SEPARATOR}`) && !p.isUp());
  }

  health() {
    return this.products.map((p) => p.health());
  }

  /** health() with each product's last error, for the operator (`personas products`). */
  details() {
    return this.products.map((p) => p.details());
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.products.map((p) => p.close()));
  }
}
