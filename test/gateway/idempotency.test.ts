import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { structuredOf, textOf } from '../support/tool-results.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';

const gw = await startTestGateway();
const pool = gw.database.pool;
const todoId = (res: object) => structuredOf<{ todo: { id: string } }>(res).todo.id;
const todosOf = async (userId: string) =>
  (await pool.query('SELECT count(*)::int AS n FROM todos WHERE user_id = $1', [userId])).rows[0].n as number;

describe('idempotency keys (params._meta.idempotencyKey)', () => {
  test('the same key twice → the same todo, one row, the second marked as a replay', async () => {
    const u = await gw.tokenFor({ email: 'idem-same@example.com' });
    const client = await gw.client(u.token);
    const call = () =>
      client.callTool({
        name: 'todo_create',
        arguments: { title: 'Pay rent' },
        _meta: { idempotencyKey: 'k1' },
      });

    const first = await call();
    assert.equal(first.isError, undefined, textOf(first));
    assert.equal(first._meta?.idempotentReplay, undefined);
    const replaysBefore = sampleValue(await scrapeMetrics(gw.url), 'gateway_idempotent_replays_total', {
      tool: 'todo_create',
    });
    const second = await call();
    assert.equal(second.isError, undefined, textOf(second));
    assert.equal(second._meta?.idempotentReplay, true);
    assert.equal(todoId(second), todoId(first));
    assert.deepEqual(second.structuredContent, first.structuredContent);
    assert.equal(await todosOf(u.userId), 1);
    const replaysAfter = sampleValue(await scrapeMetrics(gw.url), 'gateway_idempotent_replays_total', {
      tool: 'todo_create',
    });
    assert.equal(replaysAfter - replaysBefore, 1);
  });

  test('without a key, the same call twice writes twice (the control)', async () => {
    const u = await gw.tokenFor({ email: 'idem-none@example.com' });
    const client = await gw.client(u.token);
    const a = await client.callTool({ name: 'todo_create', arguments: { title: 'Pay rent' } });
    const b = await client.callTool({ name: 'todo_create', arguments: { title: 'Pay rent' } });
    assert.notEqual(todoId(a), todoId(b));
    assert.equal(await todosOf(u.userId), 2);
  });

  test('the same key with different arguments → a tool error naming the key; nothing more is written', async () => {
    const u = await gw.tokenFor({ email: 'idem-conflict@example.com' });
    const client = await gw.client(u.token);
    const first = await client.callTool({
      name: 'todo_create',
      arguments: { title: 'Pay rent' },
      _meta: { idempotencyKey: 'k1' },
    });
    assert.equal(first.isError, undefined, textOf(first));
    const clash = await client.callTool({
      name: 'todo_create',
      arguments: { title: 'Pay the gas bill' },
      _meta: { idempotencyKey: 'k1' },
    });
    assert.equal(clash.isError, true);
    assert.equal(clash._meta?.errorCode, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(clash._meta?.errorClass, 'persona');
    assert.match(
      textOf(clash),
      /_meta\.idempotencyKey: key "k1" was already used for a different call \(todo_create\)/,
    );
    assert.equal(await todosOf(u.userId), 1);

    const otherTool = await client.callTool({
      name: 'habit_create',
      arguments: { name: 'Pay rent' },
      _meta: { idempotencyKey: 'k1' },
    });
    assert.equal(otherTool.isError, true);
    assert.match(textOf(otherTool), /key "k1" was already used/);
    assert.equal((await pool.query('SELECT 1 FROM habits WHERE user_id = $1', [u.userId])).rowCount, 0);
  });

  test('arguments equal up to key order and defaults count as the same call', async () => {
    const u = await gw.tokenFor({ email: 'idem-order@example.com' });
    const client = await gw.client(u.token);
    const a = await client.callTool({
      name: 'todo_create',
      arguments: { title: 'Call mum', priority: 'normal' },
      _meta: { idempotencyKey: 'k-order' },
    });
    const b = await client.callTool({
      name: 'todo_create',
      arguments: { priority: 'normal', title: 'Call mum' },
      _meta: { idempotencyKey: 'k-order' },
    });
    const c = await client.callTool({
      name: 'todo_create',
      arguments: { title: 'Call mum' },
      _meta: { idempotencyKey: 'k-order' },
    });
    assert.equal(b._meta?.idempotentReplay, true, textOf(b));
    assert.equal(c._meta?.idempotentReplay, true, textOf(c));
    assert.equal(todoId(b), todoId(a));
    assert.equal(todoId(c), todoId(a));
    assert.equal(await todosOf(u.userId), 1);
  });

  test('8 concurrent calls with one key → exactly one row, all answering the same todo', async () => {
    const u = await gw.tokenFor({ email: 'idem-race@example.com' });
    const client = await gw.client(u.token);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        client.callTool({
          name: 'todo_create',
          arguments: { title: 'Once only' },
          _meta: { idempotencyKey: 'race' },
        }),
      ),
    );
    for (const r of results) assert.equal(r.isError, undefined, textOf(r));
    assert.equal(new Set(results.map(todoId)).size, 1);
    assert.equal(results.filter((r) => r._meta?.idempotentReplay === true).length, 7);
    assert.equal(await todosOf(u.userId), 1);
  });

  test('keys are per user: another user may use the same key for their own call', async () => {
    const a = await gw.tokenFor({ email: 'idem-user-a@example.com' });
    const b = await gw.tokenFor({ email: 'idem-user-b@example.com' });
    const ra = await (
      await gw.client(a.token)
    ).callTool({
      name: 'todo_create',
      arguments: { title: 'Shared key' },
      _meta: { idempotencyKey: 'shared' },
    });
    const rb = await (
      await gw.client(b.token)
    ).callTool({
      name: 'todo_create',
      arguments: { title: 'Shared key' },
      _meta: { idempotencyKey: 'shared' },
    });
    assert.equal(ra.isError, undefined, textOf(ra));
    assert.equal(rb.isError, undefined, textOf(rb));
    assert.equal(rb._meta?.idempotentReplay, undefined, "b's call is not a replay of a's");
    assert.notEqual(todoId(ra), todoId(rb));
    assert.equal(await todosOf(a.userId), 1);
    assert.equal(await todosOf(b.userId), 1);
  });

  test('a failed call releases its key: the retry runs for real', async () => {
    const u = await gw.tokenFor({ email: 'idem-retry@example.com' });
    const client = await gw.client(u.token);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const failed = await client.callTool({
      name: 'todo_complete',
      arguments: { todo_id: ghost },
      _meta: { idempotencyKey: 'retry' },
    });
    assert.equal(failed.isError, true);
    assert.equal(
      (await pool.query('SELECT 1 FROM tool_idempotency WHERE user_id = $1', [u.userId])).rowCount,
      0,
      'the claim rolled back with the failed call',
    );
    const made = await client.callTool({
      name: 'todo_create',
      arguments: { title: 'after failure' },
      _meta: { idempotencyKey: 'retry' },
    });
    assert.equal(made.isError, undefined, textOf(made));
    assert.equal(made._meta?.idempotentReplay, undefined);
  });

  test('a malformed key is a tool error naming _meta.idempotencyKey', async () => {
    const u = await gw.tokenFor({ email: 'idem-bad@example.com' });
    const client = await gw.client(u.token);
    for (const key of ['', 42, 'x'.repeat(201)]) {
      const res = await client.callTool({
        name: 'todo_create',
        arguments: { title: 'x' },
        _meta: { idempotencyKey: key },
      });
      assert.equal(res.isError, true, `key ${JSON.stringify(key)}`);
      assert.equal(res._meta?.errorCode, 'INVALID_IDEMPOTENCY_KEY');
      assert.match(
        textOf(res),
        /_meta\.idempotencyKey: expected a non-empty string of at most 200 characters/,
      );
    }
    assert.equal(await todosOf(u.userId), 0);
  });
});
