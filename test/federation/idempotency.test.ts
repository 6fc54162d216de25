import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stableHash } from '../../mcp-gateway/mcp/idempotency.ts';
import { startTestGateway } from '../support/gateway.ts';
import { scratchDir, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';
import { waitUntil } from '../support/wait.ts';
import { startGatedUpstream } from '../support/gated-upstream.ts';

// Idempotency keys on federated calls, where no transaction is held around the upstream call: a
// claim row marks a call in flight (mcp-gateway/upstream/idempotent-call.ts). The upstream lives in
// this process, so the test can hold a call in flight and count how often the upstream really ran.
const up = await startGatedUpstream();
const dir = await scratchDir();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    { name: 'gated', transport: { type: 'http', url: up.url('sse') } },
    { name: 'plain', transport: { type: 'http', url: up.url('json') }, include: ['work'] },
    { name: 'moved', transport: { type: 'http', url: up.url('moved') }, include: ['work'] },
  ],
});
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile });
const me = await gw.tokenFor({ email: 'fed-idempotency@example.com' });
const client = await gw.client(me.token);

const work = (label: string, key: string) =>
  client.callTool({ name: 'gated__work', arguments: { label }, _meta: { idempotencyKey: key } });

/**
 * Lets a duplicate reach the gateway while the first call is held. Not a timing assertion: a
 * duplicate that arrives later replays all the same, and the upstream's count still catches one that
 * wrongly ran the upstream a second time.
 */
const letDuplicateArrive = () => sleep(300);

describe('idempotency keys on federated calls', () => {
  test('a duplicate while the first call is in flight waits for it and replays; the upstream runs once', async () => {
    const before = up.calls;
    up.hold();
    const first = work('a', 'dup-1');
    await waitUntil(() => up.calls === before + 1, 'the first call is in flight upstream');
    const second = work('a', 'dup-1');
    await letDuplicateArrive();
    assert.equal(up.calls, before + 1, 'the duplicate did not reach the upstream while the first ran');
    up.open();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.isError, undefined, textOf(a));
    assert.equal(a._meta?.idempotentReplay, undefined);
    assert.equal(b._meta?.idempotentReplay, true, textOf(b));
    assert.deepEqual(b.content, a.content);
    assert.equal(up.calls, before + 1, 'the upstream ran once');
  });

  test('a duplicate of a call that fails runs the upstream itself; only the success is kept', async () => {
    const before = up.calls;
    up.hold();
    up.failNext = 1;
    const first = work('b', 'dup-2');
    await waitUntil(() => up.calls === before + 1, 'the first call is in flight upstream');
    const second = work('b', 'dup-2');
    await letDuplicateArrive();
    assert.equal(up.calls, before + 1);
    up.open();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.isError, true);
    assert.equal(a._meta?.errorClass, 'product');
    assert.equal(b.isError, undefined, textOf(b));
    assert.equal(b._meta?.idempotentReplay, undefined, 'not a replay of the failure');
    assert.equal(up.calls, before + 2);
    const third = await work('b', 'dup-2');
    assert.equal(third._meta?.idempotentReplay, true);
    assert.deepEqual(third.content, b.content);
    assert.equal(up.calls, before + 2);
  });

  test("a claim held by another gateway process: the duplicate waits until that process's result is stored", async () => {
    const before = up.calls;
    await gw.database.pool.query(
      'INSERT INTO tool_idempotency (user_id, key, tool_name, input_hash) VALUES ($1, $2, $3, $4)',
      [me.userId, 'dup-3', 'gated__work', stableHash({ label: 'c' })],
    );
    const pending = work('c', 'dup-3');
    await letDuplicateArrive();
    // The other process finishes its call (a zero-knowledge user's result: the fact only).
    await gw.database.pool.query(`UPDATE tool_idempotency SET result = '{"withheld": true}' WHERE key = $1`, [
      'dup-3',
    ]);
    const res = await pending;
    assert.equal(res._meta?.idempotentReplay, true, textOf(res));
    assert.match(textOf(res), /already made/);
    assert.equal(up.calls, before, 'the upstream was not called');
  });

  test('a claim abandoned by a gateway that died mid-call (older than the lease) is taken over', async () => {
    const before = up.calls;
    await gw.database.pool.query(
      `INSERT INTO tool_idempotency (user_id, key, tool_name, input_hash, created_at)
       VALUES ($1, $2, $3, $4, now() - interval '1 hour')`,
      [me.userId, 'dup-4', 'gated__work', stableHash({ label: 'd' })],
    );
    const res = await work('d', 'dup-4');
    assert.equal(res.isError, undefined, textOf(res));
    assert.equal(res._meta?.idempotentReplay, undefined);
    assert.equal(up.calls, before + 1);
    const { rows } = await gw.database.pool.query(
      'SELECT result::text AS r FROM tool_idempotency WHERE key = $1',
      ['dup-4'],
    );
    assert.match(rows[0].r, /"sealed": ?"enc:1:/, 'the result is stored, sealed');
  });

  test('the same key for other arguments is a persona error, and the upstream is not called', async () => {
    await work('e', 'dup-5');
    const before = up.calls;
    const res = await work('other', 'dup-5');
    assert.equal(res._meta?.errorClass, 'persona');
    assert.match(textOf(res), /already used for a different call/);
    assert.equal(up.calls, before);
  });
});

describe('upstream answers', () => {
  test('an upstream that answers POSTs with plain JSON (no SSE) works the same', async () => {
    const res = await client.callTool({ name: 'plain__work', arguments: { label: 'json' } });
    assert.equal(res.isError, undefined, textOf(res));
    assert.match(textOf(res), /done \(json\)/);
  });

  test('an upstream URL that redirects (307) within its origin is followed', async () => {
    const res = await client.callTool({ name: 'moved__work', arguments: { label: 'moved' } });
    assert.equal(res.isError, undefined, textOf(res));
    assert.match(textOf(res), /done \(moved\)/);
  });

  test("structured content that breaks the tool's output schema is a product error naming the field", async () => {
    const res = await client.callTool({ name: 'gated__bad_output', arguments: {} });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'product');
    assert.equal(res._meta?.errorCode, 'UPSTREAM_BAD_OUTPUT');
    assert.match(textOf(res), /n: must be number/);
  });

  test("a malformed result (a text block without text) is a product error, not the persona's", async () => {
    const res = await client.callTool({ name: 'gated__malformed', arguments: {} });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'product');
    assert.match(textOf(res), /malformed content block \(content\[0\]\)/);
  });

  test('an answer stream that ends before the result: an infra error at once, the session is reopened', async () => {
    const res = await client.callTool({ name: 'gated__drop', arguments: {} });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'infra');
    assert.equal(res._meta?.retryable, true);
    assert.equal(
      res._meta?.errorCode,
      'UPSTREAM_UNAVAILABLE',
      'failed as a lost connection, not at the call timeout',
    );
    await waitUntil(async () => {
      const again = await client.callTool({ name: 'gated__work', arguments: { label: 'after' } });
      return again.isError === undefined;
    }, 'calls succeed on a fresh session');
  });
});
