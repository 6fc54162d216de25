// `personas init` through the real CLI against a real MCP server from npm (server-memory): the two
// files it writes, the catalog loading as `seed` and `run` load it, and its goal working against the
// product itself — the scripted call saves the text, the check through a read-only tool finds it (and
// does not before the call, so the check can fail). Refusals: existing files, no product, a dead one.
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadCatalog } from '../../lib/personas/catalog.ts';
import { expandPlaceholders, judgeExpect } from '../../lib/personas/goals.ts';
import { loadProductsFile, servedModules } from '../../lib/products/products-config.ts';
import { runCli } from '../support/cli.ts';
import { MEMORY_SERVER, scratchDir, startEverything } from '../support/products.ts';

const dir = await scratchDir();
const env = { PERSONA_DATA_DIR: path.join(dir, '.data') };
const init = (args: string[], where = dir) => runCli(['init', '--dir', where, ...args], env);

interface Goal {
  module: string;
  check?: { tool: string; arguments: Record<string, unknown>; expect: Record<string, unknown> };
  scripted?: Array<{ tool: string; arguments: Record<string, unknown> }>;
}

test('init --product-command: products.json, a catalog of five archetypes with checked goals, the next commands', async () => {
  const r = await init(['--product-command', `node ${MEMORY_SERVER}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ server-memory \(stdio, shared\): up, 9 tools/);
  assert.match(r.stdout, /5 personas, one goal each \(5 checked in the product, 0 self-reported\)/);
  const products = path.join(dir, 'products.json');
  const catalogFile = path.join(dir, 'catalog.json');
  const rel = (f: string) => path.relative(process.cwd(), f);
  assert.ok(r.stdout.includes(`next:\n  personas products --products ${rel(products)}\n`));
  assert.ok(
    r.stdout.includes(
      `personas run --label first --products ${rel(products)} --catalog ${rel(catalogFile)}\n`,
    ),
  );

  const config = loadProductsFile(products);
  assert.deepEqual(config.products[0]?.transport, {
    type: 'stdio',
    command: 'node',
    args: [MEMORY_SERVER],
    env: {},
  });
  const personas = await loadCatalog(catalogFile, servedModules(config));
  assert.equal(personas.length, 5);
  assert.equal(new Set(personas.map((p) => p.archetype)).size, 5, 'five different archetypes');
  for (const p of personas) {
    assert.equal(p.goals?.length, 1, p.email);
    assert.deepEqual(Object.keys(p.moduleMix), ['server-memory']);
  }
  // The products check answers the same as `personas products` on the written file.
  const check = await runCli(['products', '--products', products], env);
  assert.equal(check.code, 0, check.stdout);
});

test('the goal init wrote works against the product: the scripted call saves, the read-only check finds it', async () => {
  const catalog = JSON.parse(await readFile(path.join(dir, 'catalog.json'), 'utf8')) as {
    personas: Array<{ email: string; timezone: string; goals: Goal[] }>;
  };
  const client = new Client({ name: 'init-test', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [MEMORY_SERVER],
      env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') },
    }),
  );
  try {
    const tools = (await client.listTools()).tools;
    const upstream = (name: string) => name.replace(/^server-memory__/, '');
    const structured = (r: Awaited<ReturnType<typeof client.callTool>>) =>
      r.structuredContent ?? JSON.parse((r.content as Array<{ text: string }>)[0]!.text);
    for (const p of catalog.personas.slice(0, 2)) {
      const goal = p.goals[0]!;
      const ctx = { timezone: p.timezone, email: p.email, now: new Date(), tickStarted: new Date() };
      assert.ok(goal.check && goal.scripted, 'a checked goal');
      const readOnly = tools.find((t) => t.name === upstream(goal.check!.tool))?.annotations?.readOnlyHint;
      assert.equal(readOnly, true, `${goal.check.tool} is read-only`);
      const expect = expandPlaceholders(goal.check.expect, ctx);
      const read = () =>
        client.callTool({
          name: upstream(goal.check!.tool),
          arguments: expandPlaceholders(goal.check!.arguments, ctx),
        });
      assert.equal(judgeExpect(expect, structured(await read())).achieved, false, 'not before the call');
      for (const call of goal.scripted) {
        const res = await client.callTool({
          name: upstream(call.tool),
          arguments: expandPlaceholders(call.arguments, ctx),
        });
        assert.notEqual(res.isError, true, JSON.stringify(res.content));
      }
      assert.deepEqual(judgeExpect(expect, structured(await read())), { achieved: true }, p.email);
    }
  } finally {
    await client.close();
  }
});

test('init refuses to overwrite, wants exactly one product, and says so when the product does not start', async () => {
  const before = (await stat(path.join(dir, 'catalog.json'))).mtimeMs;
  const again = await init(['--product-command', `node ${MEMORY_SERVER}`]);
  assert.equal(again.code, 2);
  assert.match(
    again.stderr,
    /products\.json and catalog\.json already exist here; nothing was written \(--force overwrites\)/,
  );
  assert.equal((await stat(path.join(dir, 'catalog.json'))).mtimeMs, before);

  const none = await init([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give one of --product-command "node server\.js" or --product-url/);
  const both = await init([
    '--product-command',
    'node x.js',
    '--product-url',
    'http://127.0.0.1:9/mcp',
    '--force',
  ]);
  assert.equal(both.code, 2);

  const deadDir = path.join(dir, 'dead');
  await runCli(['init', '--dir', deadDir, '--product-url', 'nope'], env).then((r) => assert.equal(r.code, 2));
  const dead = path.join(dir, 'dead.mjs');
  await writeFile(dead, "console.error('cannot open the database: ENOENT'); process.exit(3);\n");
  await mkdir(deadDir, { recursive: true });
  const r = await init(['--product-command', `node ${dead}`, '--name', 'shop'], deadDir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ shop \(stdio, shared\): down, 0 tools/);
  assert.match(r.stdout, /0 checked in the product, 5 self-reported/);
  assert.match(r.stderr, /fix .*products\.json, then check it with\n {2}personas products --products /);
  // Self-reported goals still load: the user fixes the product and keeps the catalog.
  assert.equal((await loadCatalog(path.join(deadDir, 'catalog.json'), ['shop'])).length, 5);
});

test('init --product-url: a Streamable HTTP product (server-everything) gets an http products file and a catalog that loads', async () => {
  const everything = await startEverything();
  const where = path.join(dir, 'http');
  await mkdir(where, { recursive: true });
  const r = await init(['--product-url', everything.url, '--name', 'everything'], where);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /✓ everything \(http, shared\): up, \d+ tools/);
  const config = loadProductsFile(path.join(where, 'products.json'));
  assert.deepEqual(config.products[0]?.transport, { type: 'http', url: everything.url, headers: {} });
  const personas = await loadCatalog(path.join(where, 'catalog.json'), servedModules(config));
  assert.equal(personas.length, 5);
  assert.match(r.stdout, /5 personas, one goal each \(\d checked in the product, \d self-reported\)/);
});
