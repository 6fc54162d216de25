import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { userSecret } from '../../lib/products/placeholders.ts';
import { TEST_SEED_SECRET } from '../support/secrets.ts';
import { startTestGateway } from '../support/gateway.ts';
import { memoryProduct, recordingProxy, scratchDir, startEverything, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';
import { waitUntil } from '../support/wait.ts';

// isolation "per-user": one upstream session per (user, product) — for server-memory over stdio one
// child process (and one memory file) per user; for an HTTP product per-user credentials.
const dir = await scratchDir();
const everything = await startEverything();
const proxy = await recordingProxy(everything.port);
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    memoryProduct('${dataDir}/memory-${user.id}.jsonl', {
      isolation: 'per-user',
      maxSessions: 2,
    }),
    {
      ...memoryProduct('${dataDir}/scratch-${user.id}.jsonl', { isolation: 'per-user', idleSeconds: 1 }),
      name: 'scratch',
    },
    {
      name: 'crm',
      isolation: 'per-user',
      transport: {
        type: 'http',
        url: proxy.url,
        headers: { Authorization: 'Bearer ${user.secret}', 'X-User': '${user.email}' },
      },
      include: ['echo'],
    },
  ],
});
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile, PERSONA_DATA_DIR: dir });
const users = await Promise.all(
  ['a', 'b', 'c'].map(async (n) => {
    const t = await gw.tokenFor({ email: `persona-${n}@personas.test` });
    return { ...t, email: `persona-${n}@personas.test`, client: await gw.client(t.token) };
  }),
);
const [a, b, c] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
type Client = typeof a.client;
const graph = async (client: Client) =>
  (
    JSON.parse(textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} }))) as {
      entities: { name: string }[];
    }
  ).entities.map((e) => e.name);
const create = (client: Client, name: string) =>
  client.callTool({
    name: 'memory__create_entities',
    arguments: { entities: [{ name, entityType: 'thing', observations: [] }] },
  });
const sessions = async (product: string) =>
  (
    (await (await fetch(`${gw.url}/health`)).json()) as { products: { name: string; sessions?: number }[] }
  ).products.find((p) => p.name === product)!.sessions;
const memorySessions = () => sessions('memory');

describe('per-user isolation', () => {
  test("persona A never sees B's graph: one memory file per user", async () => {
    assert.equal((await create(a.client, 'A-secret-plan')).isError, undefined);
    assert.equal((await create(b.client, 'B-diary')).isError, undefined);
    assert.deepEqual(await graph(a.client), ['A-secret-plan']);
    assert.deepEqual(await graph(b.client), ['B-diary']);
    const files = (await fs.readdir(dir)).filter((f) => f.startsWith('memory-')).sort();
    assert.deepEqual(files, [`memory-${a.userId}.jsonl`, `memory-${b.userId}.jsonl`].sort());
    assert.match(await fs.readFile(path.join(dir, `memory-${a.userId}.jsonl`), 'utf8'), /A-secret-plan/);
  });

  test('the cap closes the least recently used idle session; its user gets a fresh one with the same data', async () => {
    assert.equal(await memorySessions(), 2);
    assert.deepEqual(await graph(c.client), [], 'C starts empty');
    assert.equal(await memorySessions(), 2, 'still at most maxSessions');
    assert.deepEqual(await graph(a.client), ['A-secret-plan'], 'A respawned on its own file');
  });

  test('idle sessions are stopped (and reopened lazily)', async () => {
    const scratch = (client: Client) => client.callTool({ name: 'scratch__read_graph', arguments: {} });
    assert.equal((await scratch(a.client)).isError, undefined);
    assert.equal(await sessions('scratch'), 1);
    await waitUntil(async () => (await sessions('scratch')) === 0, 'the idle per-user session is closed');
    assert.equal((await scratch(a.client)).isError, undefined);
  });

  test('an HTTP product gets per-user credentials from ${user.secret} and ${user.email}', async () => {
    for (const u of [a, b]) {
      const res = await u.client.callTool({ name: 'crm__echo', arguments: { message: 'hi' } });
      assert.equal(res.isError, undefined, textOf(res));
    }
    const seen = proxy.seen.filter((h) => h['x-user'] !== 'gateway-discovery@gateway.invalid');
    for (const u of [a, b]) {
      const mine = seen.filter((h) => h['x-user'] === u.email);
      assert.ok(mine.length > 0, `requests for ${u.email}`);
      const expected = `Bearer ${userSecret(TEST_SEED_SECRET, 'crm', u.email)}`;
      assert.ok(
        mine.every((h) => h.authorization === expected),
        'the per-user secret, never the gateway JWT',
      );
    }
    assert.notEqual(
      userSecret(TEST_SEED_SECRET, 'crm', a.email),
      userSecret(TEST_SEED_SECRET, 'crm', b.email),
    );
  });
});
