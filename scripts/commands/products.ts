import type { Command } from 'commander';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { createLogger } from '../../lib/logger.ts';
import { resolveSeedSecret } from '../../lib/personas/password.ts';
import { productsFor } from '../../lib/products/products-config.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { Federation } from '../../mcp-gateway/upstream/federation.ts';
import { printJson } from '../context.ts';

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
      await federation.close();
      const ok = products.every((p) => p.status === 'up' && !p.lastError);
      if (opts.json) printJson({ ok, builtin: config.builtin, file: config.file, products });
      else {
        process.stdout.write(
          `${config.file}: built-in product ${config.builtin ? 'served' : 'not served'}\n`,
        );
        for (const p of products) {
          process.stdout.write(
            `${p.status === 'up' ? '✓' : '✗'} ${p.name} (${p.transport}, ${p.isolation}): ${p.status}, ${p.tools} tools\n`,
          );
          if (p.exposed.length) process.stdout.write(`    ${p.exposed.join(', ')}\n`);
          if (p.lastError) process.stdout.write(`    last error: ${p.lastError}\n`);
          // The child's own last words in full (lastError carries their end only).
          if (p.stderr && !p.lastError?.endsWith(p.stderr))
            process.stdout.write(`    stderr (last 4 KB):\n${p.stderr.replace(/^/gm, '      ')}\n`);
        }
        if (!products.length) process.stdout.write('no upstream products configured\n');
      }
      if (!ok) process.exitCode = 1;
    });
}
