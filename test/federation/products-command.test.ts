import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../lib/net/free-port.ts';
import { runCli } from '../support/cli.ts';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';

const dir = await scratchDir();

test('personas products --json: each product with transport, health, tools, exposed names, last error', async () => {
  const file = await writeProducts(dir, {
    products: [
      memoryProduct(path.join(dir, 'm.jsonl')),
      { name: 'crm', transport: { type: 'http', url: `http://127.0.0.1:${await freePort()}/mcp` } },
    ],
  });
  const res = await runCli(['products', '--json', '--products', file]);
  assert.equal(res.code, 1, 'a product is down');
  const out = JSON.parse(res.stdout) as {
    ok: boolean;
    builtin: boolean;
    products: {
      name: string;
      transport: string;
      status: string;
      tools: number;
      exposed: string[];
      lastError: string | null;
    }[];
  };
  assert.equal(out.ok, false);
  assert.equal(out.builtin, true);
  const [memory, crm] = out.products;
  assert.deepEqual(
    [memory?.name, memory?.transport, memory?.status, memory?.tools, memory?.lastError],
    ['memory', 'stdio', 'up', 9, null],
  );
  assert.ok(memory?.exposed.includes('memory__create_entities'));
  assert.deepEqual([crm?.name, crm?.transport, crm?.status, crm?.tools], ['crm', 'http', 'down', 0]);
  assert.match(crm?.lastError ?? '', /ECONNREFUSED|fetch failed/);
});

test('an invalid products file is a usage error naming the product and field', async () => {
  const file = await writeProducts(
    dir,
    { products: [{ name: 'x', transport: { type: 'ftp' } }] },
    'bad.json',
  );
  const res = await runCli(['products', '--products', file]);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /products\[0\] \(x\): transport/);
});
