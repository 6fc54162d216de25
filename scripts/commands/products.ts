import type { Command } from 'commander';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { createLogger } from '../../lib/logger.ts';
import { resolveSeedSecret } from '../../lib/personas/password.ts';
import { productsFor, type ProductsConfig } from '../../lib/products/products-config.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { Federation } from '../../mcp-gateway/upstream/federation.ts';
import { printJson } from '../context.ts';

/**
 * The products check: connects to every product of `config` the way the gateway does (per-user
 * products through their discovery session), lists their tools and disconnects. `ok` when every
 * product is up with no error. `personas products`, `init` and `doctor` share it.
 */
export async function checkProducts(config: ProductsConfig) {
  const base = loadBaseConfig();
  const federation = await Federation.start(
    config,
    {
      logger: createLogger('products', 'silent'),
      dataDir: base.dataDir,
      seedSecret: resolveSeedSecret({
        seedSecret: process.env.PERSONA_SEED_SECRET || undefined,
        production: false,
        dataDir: base.dataDir,
      }),
      builtinNames: config.builtin ? toolRegistry.map((t) => t.name) : [],
    },
    { strict: false },
  );
  const products = federation.details();
  const tools = federation.tools();
  await federation.close();
  return { ok: products.every((p) => p.status === 'up' && !p.lastError), products, tools };
}

/** One ✓/✗ line per product, its exposed tools and its last error. */
export function productLines(products: Awaited<ReturnType<typeof checkProducts>>['products']): string[] {
  return products.flatMap((p) => [
    `${p.status === 'up' ? '✓' : '✗'} ${p.name} (${p.transport}, ${p.isolation}): ${p.status}, ${p.tools} tools`,
    ...(p.exposed.length ? [`    ${p.exposed.join(', ')}`] : []),
    ...(p.lastError ? [`    last error: ${p.lastError}`] : []),
    // The child's own last words in full (lastError carries their end only).
    ...(p.stderr && !p.lastError?.endsWith(p.stderr)
      ? [`    stderr (last 4 KB):\n${p.stderr.replace(/^/gm, '      ')}`]
      : []),
  ]);
}

/**
 * `personas products`: connects to every configured product the way the gateway does (per-user
 * products through their discovery session), reports and disconnects. No database, no gateway.
 */
export function registerProductsCommand(program: Command): void {
  program
    .command('products')
    .description(
      'each product of the products file: transport, health, tool count, exposed names, last error',
    )
    .option('--products <file>', 'products file (default PERSONA_PRODUCTS)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { products?: string; json?: boolean }) => {
      const config = productsFor(opts.products);
      const { ok, products } = await checkProducts(config);
      if (opts.json) printJson({ ok, builtin: config.builtin, file: config.file, products });
      else {
        process.stdout.write(
          `${config.file}: built-in product ${config.builtin ? 'served' : 'not served'}\n`,
        );
        for (const line of productLines(products)) process.stdout.write(`${line}\n`);
        if (!products.length) process.stdout.write('no upstream products configured\n');
      }
      if (!ok) process.exitCode = 1;
    });
}
