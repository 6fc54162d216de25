import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { startTestGateway } from '../support/gateway.ts';

const gw = await startTestGateway();
const me = await gw.tokenFor({ email: 'tools@example.com', destructiveOptIn: true });
const client = await gw.client(me.token);
const pool = gw.database.pool;

/** Calls a tool, fails the test with the tool's own message if it errored, returns structuredContent. */
async function call<T>(c: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const res = await c.callTool({ name, arguments: args });
  const message = ((res.content ?? []) as { text?: string }[]).map((x) => x.text).join('\n');
  assert.equal(res.isError, undefined, `${name} failed: ${message}`);
  assert.ok(res.structuredContent, `${name} returned no structuredContent`);
  // The text content mirrors the structured content for clients that only read text.
  assert.deepEqual(JSON.parse(message), res.structuredContent);
  return res.structuredContent as T;
}

const row = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0];

interface Habit {
  id: string;
  space_id: string;
  name: string;
  cadence: string;
  target_per_period: number;
  archived_at: string | null;
}
interface Todo {
  id: string;
  space_id: string;
  title: string;
  due_date: string | null;
  priority: string;
  completed_at: string | null;
}

describe('built-in tools, happy paths over real HTTP', () => {
  test('every non-admin tool in the registry is listed with an input and output schema', async () => {
    const { tools } = await client.listTools();
    const expected = toolRegistry.filter((t) => t.scope !== 'admin').map((t) => t.name);
    assert.deepEqual(
      tools.map((t) => t.name),
      expected,
    );
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', t.name);
    }
  });

  test('space_list returns the personal space, owned by the user', async () => {
    const out = await call<{ spaces: { id: string; name: string; type: string; role: string }[] }>(
      client,
      'space_list',
    );
    assert.deepEqual(out.spaces, [
      { id: me.personalSpaceId, name: 'Personal', type: 'personal', role: 'owner' },
    ]);
  });

  test('habit_create → habit_list → habit_update → habit_archive', async () => {
    const { habit } = await call<{ habit: Habit }>(client, 'habit_create', {
      name: 'Drink water',
      target_per_period: 8,
    });
    assert.equal(habit.name, 'Drink water');
    assert.equal(habit.cadence, 'daily');
    assert.equal(habit.target_per_period, 8);
    assert.equal(habit.space_id, me.personalSpaceId);
    assert.equal(habit.archived_at, null);
    assert.deepEqual(
      await row('SELECT name, cadence, target_per_period, user_id FROM habits WHERE id = $1', [habit.id]),
      { name: 'Drink water', cadence: 'daily', target_per_period: 8, user_id: me.userId },
    );

    const listed = await call<{ habits: Habit[] }>(client, 'habit_list');
    assert.deepEqual(
      listed.habits.map((h) => h.id),
      [habit.id],
    );

    const updated = await call<{ habit: Habit }>(client, 'habit_update', {
      habit_id: habit.id,
      name: 'Drink more water',
      cadence: 'weekly',
    });
    assert.equal(updated.habit.name, 'Drink more water');
    assert.equal(updated.habit.cadence, 'weekly');
    assert.equal(updated.habit.target_per_period, 8, 'fields not given are unchanged');
    assert.deepEqual(await row('SELECT name, cadence FROM habits WHERE id = $1', [habit.id]), {
      name: 'Drink more water',
      cadence: 'weekly',
    });

    const archived = await call<{ habit: Habit }>(client, 'habit_archive', { habit_id: habit.id });
    assert.ok(archived.habit.archived_at);
    const dbRow = await row('SELECT archived_at FROM habits WHERE id = $1', [habit.id]);
    assert.equal((dbRow.archived_at as Date).toISOString(), archived.habit.archived_at);

    assert.deepEqual((await call<{ habits: Habit[] }>(client, 'habit_list')).habits, []);
    const all = await call<{ habits: Habit[] }>(client, 'habit_list', { include_archived: true });
    assert.deepEqual(
      all.habits.map((h) => h.id),
      [habit.id],
    );

    const twice = await call<{ habit: Habit }>(client, 'habit_archive', { habit_id: habit.id });
    assert.equal(twice.habit.archived_at, archived.habit.archived_at, 'archiving twice keeps the first time');
  });

  test('todo_create → todo_list → todo_complete', async () => {
    const { todo } = await call<{ todo: Todo }>(client, 'todo_create', {
      title: 'File taxes',
      due_date: '2030-04-15',
      priority: 'high',
    });
    assert.equal(todo.title, 'File taxes');
    assert.equal(todo.due_date, '2030-04-15');
    assert.equal(todo.priority, 'high');
    assert.equal(todo.completed_at, null);
    assert.deepEqual(
      await row(
        `SELECT title, to_char(due_date, 'YYYY-MM-DD') AS due, priority, user_id, space_id FROM todos WHERE id = $1`,
        [todo.id],
      ),
      {
        title: 'File taxes',
        due: '2030-04-15',
        priority: 'high',
        user_id: me.userId,
        space_id: me.personalSpaceId,
      },
    );
    const other = await call<{ todo: Todo }>(client, 'todo_create', { title: 'Someday' });
    assert.equal(other.todo.priority, 'normal');
    assert.equal(other.todo.due_date, null);

    const open = await call<{ todos: Todo[] }>(client, 'todo_list');
    assert.deepEqual(
      open.todos.map((t) => t.id),
      [todo.id, other.todo.id],
      'soonest due first, undated last',
    );

    const done = await call<{ todo: Todo }>(client, 'todo_complete', { todo_id: todo.id });
    assert.ok(done.todo.completed_at);
    assert.ok((await row('SELECT completed_at FROM todos WHERE id = $1', [todo.id])).completed_at);

    assert.deepEqual(
      (await call<{ todos: Todo[] }>(client, 'todo_list')).todos.map((t) => t.id),
      [other.todo.id],
    );
    assert.deepEqual(
      (await call<{ todos: Todo[] }>(client, 'todo_list', { status: 'done' })).todos.map((t) => t.id),
      [todo.id],
    );
  });

  test('note_create → note_search → note_delete', async () => {
    const { note } = await call<{ note: { id: string; title: string; body: string; tags: string[] } }>(
      client,
      'note_create',
      { title: 'Recipes', body: 'Grandma adds a pinch of cardamom to the dough.', tags: ['food'] },
    );
    assert.equal(note.title, 'Recipes');
    assert.equal(note.body, 'Grandma adds a pinch of cardamom to the dough.');
    assert.deepEqual(note.tags, ['food']);
    assert.deepEqual(await row('SELECT title, tags, user_id FROM notes WHERE id = $1', [note.id]), {
      title: 'Recipes',
      tags: ['food'],
      user_id: me.userId,
    });
    await call(client, 'note_create', { title: 'Unrelated', body: 'Nothing to see here.' });

    // The body is encrypted at rest, so this match can only come from the decrypted body.
    const found = await call<{ notes: { id: string; title: string; snippet: string; tags: string[] }[] }>(
      client,
      'note_search',
      { query: 'CARDAMOM' },
    );
    assert.equal(found.notes.length, 1);
    assert.equal(found.notes[0]!.id, note.id);
    assert.match(found.notes[0]!.snippet, /pinch of cardamom/);
    assert.deepEqual(
      (await call<{ notes: unknown[] }>(client, 'note_search', { query: 'food' })).notes.length,
      1,
    );
    assert.deepEqual(
      (await call<{ notes: unknown[] }>(client, 'note_search', { query: 'zanzibar' })).notes,
      [],
    );

    const deleted = await call<{ deleted: boolean; note_id: string }>(client, 'note_delete', {
      note_id: note.id,
    });
    assert.deepEqual(deleted, { deleted: true, note_id: note.id });
    assert.equal((await pool.query('SELECT 1 FROM notes WHERE id = $1', [note.id])).rowCount, 0);
    assert.deepEqual(
      (await call<{ notes: unknown[] }>(client, 'note_search', { query: 'cardamom' })).notes,
      [],
    );
  });

  test('journal_add stores an entry with mood and date', async () => {
    const { entry } = await call<{
      entry: { id: string; space_id: string; body: string; mood: number | null; entry_date: string };
    }>(client, 'journal_add', { body: 'A calm day by the sea.', mood: 4, entry_date: '2030-01-02' });
    assert.equal(entry.body, 'A calm day by the sea.');
    assert.equal(entry.mood, 4);
    assert.equal(entry.entry_date, '2030-01-02');
    assert.equal(entry.space_id, me.personalSpaceId);
    assert.deepEqual(
      await row(
        `SELECT mood, to_char(entry_date, 'YYYY-MM-DD') AS day, user_id FROM journal_entries WHERE id = $1`,
        [entry.id],
      ),
      { mood: 4, day: '2030-01-02', user_id: me.userId },
    );
  });

  test("a user's tools see only that user's rows", async () => {
    const other = await gw.tokenFor({ email: 'tools-other@example.com' });
    const otherClient = await gw.client(other.token);
    const theirs = await call<{ todo: Todo }>(otherClient, 'todo_create', { title: 'Not yours' });
    const mine = (await call<{ todos: Todo[] }>(client, 'todo_list', { status: 'all' })).todos.map(
      (t) => t.id,
    );
    assert.ok(!mine.includes(theirs.todo.id));
    const res = await client.callTool({ name: 'todo_complete', arguments: { todo_id: theirs.todo.id } });
    assert.equal(res.isError, true);
    assert.equal(
      (await row('SELECT completed_at FROM todos WHERE id = $1', [theirs.todo.id])).completed_at,
      null,
    );
  });
});
