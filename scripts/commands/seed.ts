import { builtinToolLookup } from '../../mcp-gateway/tools/index.ts';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { DEFAULT_CATALOG, loadCatalog } from '../../lib/personas/catalog.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { productsFor, servedModules } from '../../lib/products/products-config.ts';
import { printJson, withContext } from '../context.ts';

/** A progress bar on stderr, only for interactive terminals and runs long enough to need one. */
export function progressBar(total: number, label: string) {
  if (!process.stderr.isTTY || total < 50) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {percentage}% · {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
}

/** A bad value is a usage error (exit 2, with usage help), like any other bad option. */
function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('create or update every persona of a catalog, by email (idempotent)')
    .option('--catalog <file>', 'catalog file', DEFAULT_CATALOG)
    .option(
      '--products <file>',
      'products file: the modules it serves may appear in moduleMix, its personaDefaults apply (default PERSONA_PRODUCTS)',
    )
    .option('--dry-run', 'show what would be created / updated / unchanged; write nothing')
    .option('--concurrency <n>', 'personas seeded in parallel (1-64)', parseConcurrency, 8)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        catalog: string;
        products?: string;
        dryRun?: boolean;
        concurrency: number;
        json?: boolean;
      }) => {
        const { concurrency } = opts;
        // Validate the whole catalog before touching the database: a bad entry writes nothing.
        const products = productsFor(opts.products);
        const defs = await loadCatalog(
          opts.catalog,
          servedModules(products),
          builtinToolLookup,
          products.personaDefaults,
        );
        await withContext('seed', async (ctx) => {
          const { db } = await ctx.database();
          const bar = progressBar(defs.length, 'seeding');
          const summary = await seedPersonas(db, ctx.kek(), ctx.seedSecret(), defs, {
            dryRun: opts.dryRun,
            concurrency,
            onProgress: (done) => bar.update(done),
          });
          bar.stop();
          if (opts.json) return printJson(summary);
          if (defs.length <= 50)
            for (const r of summary.results) process.stdout.write(`${r.outcome.padEnd(9)} ${r.email}\n`);
          process.stdout.write(
            `${opts.dryRun ? 'would be ' : ''}created ${summary.created} · updated ${summary.updated} · unchanged ${summary.unchanged} (${defs.length} personas in ${opts.catalog})\n`,
          );
        });
      },
    );
}
