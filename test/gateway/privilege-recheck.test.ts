// Which requests of an open session re-read the user's privileges (mcp-gateway/mcp/privilege-recheck.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { privilegeRecheck } from '../../mcp-gateway/mcp/privilege-recheck.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';

const recheck = privilegeRecheck(toolRegistry, undefined, 1000);
const call = (name: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });
const fresh = 10_000;
const now = fresh + 10;

test('a plain read or write call within the max age does not re-read', () => {
  assert.equal(recheck.due(call('todo_list'), fresh, now), false);
  assert.equal(recheck.due(call('todo_create'), fresh, now), false);
});

test('requests whose outcome depends on privileges always re-read', () => {
  assert.equal(recheck.due({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, fresh, now), true);
  assert.equal(recheck.due(call('admin_user_list'), fresh, now), true, 'admin tool');
  assert.equal(recheck.due(call('note_delete'), fresh, now), true, 'destructive tool');
  assert.equal(recheck.due(call('no_such_tool'), fresh, now), true, 'unknown tool');
  assert.equal(recheck.due([call('todo_list')], fresh, now), true, 'a batch');
  assert.equal(recheck.due(undefined, fresh, now), true, 'no body (GET, DELETE)');
});

test('past the max age every request re-reads', () => {
  assert.equal(recheck.due(call('todo_list'), fresh, fresh + 1000), true);
});
