import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';

// server-memory (a real third-party MCP server from npm) over stdio, one connection for everyone.
const dir = await scratchDir();
const memoryFile = path.join(dir, 'shared-memory.jsonl');
const productsFile = await writeProducts(dir, { builtin: true, products: [memoryProduct(memoryFile)] });
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile, PERSONA_DATA_DIR: dir });
// The cleanup below deletes upstream entities: a destructive tool, which the (default) enforcing policy
// gate allows only to users who opted in.
const me = await gw.tokenFor({ email: 'fed-shared@example.com', destructiveOptIn: true });
const client = await gw.client(me.token);

const entity = { name: 'Alice', entityType: 'person', observations: ['likes tea'] };
const readGraph = async () =>
  JSON.parse(textOf(await client.callTool({ name: 'memory__read_graph', arguments: {} }))) as {
    entities: { name: string; observations: string[] }[];
  };

describe('a stdio product through the gateway', () => {
  test('tools are listed as memory__<tool> next to the built-in ones, with schemas, annotations and module', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('todo_create'), 'built-in tools stay');
    for (const t of ['create_entities', 'read_graph', 'search_nodes', 'delete_entities'])
      assert.ok(names.includes(`memory__${t}`), `memory__${t} listed`);
    const read = tools.find((t) => t.name === 'memory__read_graph')!;
    assert.equal(read.annotations?.readOnlyHint, true, 'annotations pass through');
    assert.equal(read._meta?.module, 'memory');
    assert.equal(read._meta?.policyHint, 'read');
    const create = tools.find((t) => t.name === 'memory__create_entities')!;
    assert.equal(create.inputSchema.type, 'object');
    assert.ok(create.inputSchema.properties?.entities, 'input schema passes through');
  });

  test('a valid call reaches the upstream and its result comes back', async () => {
    const res = await client.callTool({ name: 'memory__create_entities', arguments: { entities: [entity] } });
    assert.equal(res.isError, undefined, textOf(res));
    assert.deepEqual(
      (await readGraph()).entities.map((e) => e.name),
      ['Alice'],
    );
  });

  test('invalid arguments are a persona error naming the field, and nothing is sent upstream', async () => {
    const res = await client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'Bob', observations: [] }] },
    });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'persona');
    assert.match(textOf(res), /entities\[0\]\.entityType: is required/);
    assert.deepEqual(
      (await readGraph()).entities.map((e) => e.name),
      ['Alice'],
      'Bob never reached the upstream',
    );
  });

  test("the upstream's own isError result is a product error", async () => {
    const res = await client.callTool({
      name: 'memory__add_observations',
      arguments: { observations: [{ entityName: 'Nobody', contents: ['x'] }] },
    });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'product');
    assert.match(textOf(res), /Nobody/);
  });

  test('an idempotency key replays the stored (sealed) result without calling the upstream again', async () => {
    const args = { entities: [{ name: 'Carol', entityType: 'person', observations: ['secret-obs-7731'] }] };
    const _meta = { idempotencyKey: 'fed-idem-1' };
    const first = await client.callTool({ name: 'memory__create_entities', arguments: args, _meta });
    assert.equal(first.isError, undefined, textOf(first));
    // Deleted upstream: a second real call would create Carol again; a replay must not.
    const deleted = await client.callTool({ name: 'memory__delete_entities', arguments: { entityNames: ['Carol'] } });
    assert.equal(deleted.isError, undefined, textOf(deleted));
    const again = await client.callTool({ name: 'memory__create_entities', arguments: args, _meta });
    assert.equal(again._meta?.idempotentReplay, true);
    assert.deepEqual(again.content, first.content);
    assert.ok(
      !(await readGraph()).entities.some((e) => e.name === 'Carol'),
      'the upstream was not called again',
    );
    const { rows } = await gw.database.pool.query(
      'SELECT result::text AS r FROM tool_idempotency WHERE key = $1',
      ['fed-idem-1'],
    );
    assert.match(rows[0].r, /"sealed": ?"enc:1:/);
    assert.doesNotMatch(rows[0].r, /secret-obs-7731/, 'the stored copy is sealed');
  });

  test('metrics per product and tool', async () => {
    const text = await scrapeMetrics(gw.url);
    assert.ok(
      sampleValue(text, 'gateway_upstream_calls_total', {
        product: 'memory',
        tool: 'memory__create_entities',
        outcome: 'ok',
      }) >= 2,
    );
    assert.equal(
      sampleValue(text, 'gateway_upstream_calls_total', {
        product: 'memory',
        tool: 'memory__add_observations',
        error_class: 'product',
      }),
      1,
    );
    assert.ok(
      sampleValue(text, 'gateway_upstream_call_duration_seconds_count', {
        product: 'memory',
        tool: 'memory__read_graph',
      }) >= 1,
    );
  });

  test('/health reports the product', async () => {
    const health = (await (await fetch(`${gw.url}/health`)).json()) as {
      status: string;
      products: { name: string; status: string; tools: number }[];
    };
    assert.equal(health.status, 'ok');
    assert.equal(health.products[0]?.name, 'memory');
    assert.equal(health.products[0]?.status, 'up');
    assert.equal(health.products[0]?.tools, 9);
  });
});
