// `personas init`: a starter products.json and catalog.json for the user's own MCP product, in the
// current directory. It lists the product's tools with the products check (what `personas products`
// does), writes goals against them, validates the catalog it wrote, and prints the two next commands.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { parse as parseShell } from 'shell-quote';
import { UsageError } from '../../lib/errors.ts';
import { parseCatalog } from '../../lib/personas/catalog.ts';
import { starterCatalog } from '../../lib/personas/starter-catalog.ts';
import { parseProducts, servedModules } from '../../lib/products/products-config.ts';
import { checkProducts, productLines } from './products.ts';

interface InitFlags {
  productCommand?: string;
  productUrl?: string;
  name?: string;
  isolation: 'shared' | 'per-user';
  force?: boolean;
  dir: string;
}

/** The words of a command line as a shell splits them (quotes, escapes); operators are refused. */
function commandWords(line: string): string[] {
  const words = parseShell(line, (name) => `$${name}`);
  if (!words.length || words.some((w) => typeof w !== 'string'))
    throw new UsageError(
      `--product-command "${line}": expected a command and its arguments (no pipes, redirections or globs)`,
    );
  return words as string[];
}

const GENERIC = /^(index|main|server|cli|app|start|dist|build|src|lib|bin|mcp)$/i;

/** A product name from the command's script or the URL's host: `server-memory`, `crm`. */
function productName(flags: InitFlags, words: string[] | undefined): string {
  const raw = flags.productUrl
    ? new URL(flags.productUrl).hostname
        .split('.')
        .find((p) => !/^(www|api|mcp|staging|localhost|\d+)$/.test(p))
    : words!
        .slice(1)
        .concat(words![0]!)
        .flatMap((w) => w.split(/[\\/]/).reverse())
        .map((w) => w.replace(/\.[cm]?[jt]s$|\.py$/, ''))
        .find((w) => /^[a-zA-Z0-9]/.test(w) && !GENERIC.test(w) && !/^(node|python3?|npx|uvx|-)/.test(w));
  const name = (raw ?? 'product')
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return name || 'product';
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'scaffold products.json and catalog.json (five personas, one goal each) for your MCP product in this directory, check the product, print the next commands',
    )
    .option('--product-command <command>', 'a stdio MCP server, as you would type it: "node server.js"')
    .option('--product-url <url>', 'a Streamable HTTP MCP endpoint: https://staging.example.com/mcp')
    .option(
      '--name <name>',
      "the product's name: prefix of its tools and its module (default: from the command or URL)",
    )
    .addOption(
      new Option('--isolation <mode>', 'per-user: one upstream session (stdio: one process) per persona')
        .choices(['shared', 'per-user'])
        .default('shared'),
    )
    .option('--dir <dir>', 'where to write the two files', '.')
    .option('--force', 'overwrite products.json and catalog.json if they exist')
    .addHelpText(
      'after',
      '\nExamples:\n  personas init --product-command "node node_modules/@modelcontextprotocol/server-memory/dist/index.js"\n  personas init --product-url https://staging.example.com/mcp --name crm',
    )
    .action(async (flags: InitFlags) => {
      if (!flags.productCommand === !flags.productUrl)
        throw new UsageError(
          'personas init: give one of --product-command "node server.js" or --product-url https://…/mcp',
        );
      if (flags.productUrl && !/^https?:\/\/[^/\s]+/i.test(flags.productUrl))
        throw new UsageError(`--product-url ${flags.productUrl}: expected an http:// or https:// URL`);
      const words = flags.productCommand ? commandWords(flags.productCommand) : undefined;
      const files = {
        products: path.resolve(flags.dir, 'products.json'),
        catalog: path.resolve(flags.dir, 'catalog.json'),
      };
      const existing = Object.values(files).filter((f) => existsSync(f));
      if (existing.length && !flags.force)
        throw new UsageError(
          `${existing.map((f) => path.basename(f)).join(' and ')} already exist${existing.length === 1 ? 's' : ''} here; nothing was written (--force overwrites)`,
        );
      const name = flags.name ?? productName(flags, words);
      const products = {
        builtin: false,
        products: [
          {
            name,
            isolation: flags.isolation,
            transport: words
              ? { type: 'stdio', command: words[0]!, args: words.slice(1) }
              : { type: 'http', url: flags.productUrl! },
          },
        ],
      };
      const productsText = `${JSON.stringify(products, null, 2)}\n`;
      // The products file is checked before anything is written (a bad --name is a usage error).
      const config = parseProducts(productsText, 'products.json');
      await writeFile(files.products, productsText);
      process.stdout.write(`wrote products.json: product ${name}\n`);

      const check = await checkProducts(config);
      for (const line of productLines(check.products)) process.stdout.write(`${line}\n`);
      const tools = check.tools.map((t) => ({
        name: t.name,
        module: t.module,
        policyHint: t.policyHint,
        inputSchema: t.listing.inputSchema as Record<string, unknown>,
      }));
      const catalog = starterCatalog(name, tools);
      const catalogText = `${JSON.stringify(catalog, null, 2)}\n`;
      // What we write must load: the same check `seed` and `run` make, against the product's modules.
      parseCatalog(catalogText, 'catalog.json', servedModules(config));
      await writeFile(files.catalog, catalogText);
      const checked = catalog.personas.filter((p) => p.goals.some((g) => 'check' in g)).length;
      process.stdout.write(
        `wrote catalog.json: ${catalog.personas.length} personas, one goal each (${checked} checked in the product, ${catalog.personas.length - checked} self-reported)\n`,
      );
      if (!check.ok) {
        process.stderr.write(
          `the product did not answer as expected (see above): fix ${path.relative(process.cwd(), files.products)}, then check it with\n  personas products --products ${path.relative(process.cwd(), files.products)}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const rel = (f: string) => path.relative(process.cwd(), f);
      process.stdout.write(
        `\nnext:\n  personas products --products ${rel(files.products)}\n  personas run --label first --products ${rel(files.products)} --catalog ${rel(files.catalog)}\n`,
      );
    });
}
