import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ToolNameMap, toClaudeTools, toolModules } from '../../activities/llm/tool-names.ts';

const CLAUDE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

test('valid Claude names map to themselves, both ways', () => {
  const map = new ToolNameMap(['todo_create', 'note-search', 'A1']);
  for (const n of ['todo_create', 'note-search', 'A1']) {
    assert.equal(map.claudeName(n), n);
    assert.equal(map.mcpName(n), n);
  }
});

test('invalid names are sanitised into valid ones and mapped back', () => {
  const long = `tools.${'x'.repeat(80)}`;
  const map = new ToolNameMap(['todo.create', 'notes/search v2', long, '', 'ünïcode']);
  assert.equal(map.claudeName('todo.create'), 'todo_create');
  assert.equal(map.claudeName('notes/search v2'), 'notes_search_v2');
  assert.equal(map.claudeName(''), 'tool');
  for (const n of ['todo.create', 'notes/search v2', long, '', 'ünïcode']) {
    const claude = map.claudeName(n);
    assert.match(claude, CLAUDE_NAME, `${JSON.stringify(n)} → ${claude}`);
    assert.equal(map.mcpName(claude), n);
  }
});

test('collisions get numeric suffixes, and never take a valid name from its own tool', () => {
  const map = new ToolNameMap(['todo.create', 'todo/create', 'todo_create', 'todo create']);
  assert.equal(map.claudeName('todo_create'), 'todo_create', 'a valid name keeps itself, whatever the order');
  const sanitised = ['todo.create', 'todo/create', 'todo create'].map((n) => map.claudeName(n));
  assert.deepEqual(sanitised, ['todo_create_2', 'todo_create_3', 'todo_create_4']);
  for (const [i, n] of ['todo.create', 'todo/create', 'todo create'].entries()) {
    assert.equal(map.mcpName(sanitised[i]!), n);
  }
});

test('unknown names: the model inventing one gets undefined; an unlisted MCP name throws', () => {
  const map = new ToolNameMap(['todo_create']);
  assert.equal(map.mcpName('todo_destroy'), undefined);
  assert.throws(() => map.claudeName('todo_destroy'), /unknown MCP tool todo_destroy/);
});

test('MCP listings become Claude tools with their module ids', () => {
  const listing: Tool[] = [
    {
      name: 'todo.create',
      description: 'Create a todo',
      inputSchema: { type: 'object' },
      _meta: { module: 'todos' },
    },
    { name: 'space_list', title: 'List spaces', inputSchema: { type: 'object' } },
  ];
  const map = new ToolNameMap(listing.map((t) => t.name));
  assert.deepEqual(toClaudeTools(listing, map), [
    { name: 'todo_create', description: 'Create a todo', input_schema: { type: 'object' } },
    { name: 'space_list', description: 'List spaces', input_schema: { type: 'object' } },
  ]);
  assert.deepEqual(toolModules(listing, map), { todo_create: 'todos', space_list: 'unknown' });
});
