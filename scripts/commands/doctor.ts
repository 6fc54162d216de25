// `personas doctor`: is this machine ready to run persona-runner? Each check a ✓ or ✗ line, each ✗
// with its fix; exit 1 when any fails. Nothing is started: it only looks.
import type { Command } from 'commander';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { productsFor } from '../../lib/products/products-config.ts';
import { fail, pass, type CheckResult } from '../doctor/check.ts';
import { checkNode, checkPostgres, checkTemporal } from '../doctor/environment.ts';
import { checkPort, defaultPorts } from '../doctor/ports.ts';
import { checkSecrets } from '../doctor/secrets.ts';
import { printJson } from '../context.ts';
import { checkProducts } from './products.ts';

async function checkProductsFile(option: string | undefined): Promise<CheckResult[]> {
  let config;
  try {
    config = productsFor(option);
  } catch (err) {
    return [
      fail('products', (err as Error).message, 'fix the products file (README "Test your own MCP product")'),
    ];
  }
  if (!config.products.length) return [];
  const { products } = await checkProducts(config);
  return products.map((p) =>
    p.status === 'up' && !p.lastError
      ? pass(`product ${p.name}`, `${p.transport}: up, ${p.tools} tools`)
      : fail(
          `product ${p.name}`,
          `${p.transport}: ${p.status}${p.lastError ? ` (${p.lastError})` : ''}`,
          `start it or fix its entry in ${config.file}; personas products --products ${config.file} says more`,
        ),
  );
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check this machine: Node, the Temporal CLI, Postgres, free ports, the data dir’s secrets and the products file; each problem with its fix (exit 1 if any)',
    )
    .option('--products <file>', 'also check this products file (default PERSONA_PRODUCTS)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  personas doctor\n  personas doctor --products products.json')
    .action(async (opts: { products?: string; json?: boolean }) => {
      const base = loadBaseConfig();
      const env = process.env;
      const checks: CheckResult[] = [
        checkNode(),
        ...(await Promise.all([checkTemporal(env), checkPostgres(base.databaseUrl)])),
        ...(await Promise.all(defaultPorts(env, base.dataDir).map(checkPort))),
        ...(await checkSecrets(base.dataDir)),
        ...(await checkProductsFile(opts.products)),
      ];
      const ok = checks.every((c) => c.ok);
      if (opts.json) printJson({ ok, checks });
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}\n`);
          if (c.fix) process.stdout.write(`    fix: ${c.fix}\n`);
        }
        process.stdout.write(
          ok ? 'all checks passed\n' : `${checks.filter((c) => !c.ok).length} problem(s)\n`,
        );
      }
      if (!ok) process.exitCode = 1;
    });
}
