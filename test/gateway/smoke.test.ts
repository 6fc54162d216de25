import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';

test('a user lists tools and creates a todo over real HTTP', async () => {
  const gw = await startTestGateway();
  const { token } = await gw.tokenFor({ email: 'smoke@example.com' });
  const client = await gw.client(token);
  const { tools } = await client.listTools();
  assert.ok(tools.some((t) => t.name === 'todo_create'));
  assert.ok(!tools.some((t) => t.name.startsWith('admin_')));
  const res = await client.callTool({ name: 'todo_create', arguments: { title: 'Buy milk' } });
  assert.equal(res.isError, undefined);
  assert.equal((res.structuredContent as { todo: { title: string } }).todo.title, 'Buy milk');
  assert.equal(await gw.count('todos'), 1);
});
