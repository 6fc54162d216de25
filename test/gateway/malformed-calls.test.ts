// A corpus of malformed tool calls sent through the real SDK client over real HTTP. Every one must
// come back as a tool result (`isError: true`, class `persona`, a message naming the field and the
// problem), never as a thrown exception or an HTTP error, and none may write a row.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { todos } from '../../schema/index.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { defineTool } from '../../mcp-gateway/tools/tool-spec.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const PRODUCT_TABLES = [
  'habits',
  'todos',
  'notes',
  'journal_entries',
  'spaces',
  'space_memberships',
  'tool_idempotency',
  'users',
] as const;

// Validation is under test, so the policy gate only logs (a destructive tool's bad input must reach
// validation); and the limit is high enough that the corpus never trips it and muddies the log.
const ENV = { POLICY_MODE: 'log-only', POLICY_RATE_LIMIT: '1000' };

async function countAll(gw: TestGateway): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of PRODUCT_TABLES) out[t] = await gw.count(t);
  return out;
}

function textOf(res: CallToolResult): string {
  return res.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** Ids another user owns, and a real habit of the caller's; filled in before the corpus runs. */
interface Fixtures {
  ownHabitId: string;
  otherTodoId: string;
  otherHabitId: string;
  otherNoteId: string;
  otherSpaceId: string;
}

interface Case {
  name: string;
  tool: string;
  /** Omitted means the `arguments` key is absent from the request altogether. */
  args?: (f: Fixtures) => Record<string, unknown>;
  meta?: Record<string, unknown>;
  /** Every pattern must match the message: one for the field, one (or more) for the problem. */
  expect: RegExp[];
  code: string;
  errorClass?: 'persona' | 'policy';
}

const long = (n: number) => 'x'.repeat(n);
const unknownId = randomUUID();

const cases: Case[] = [
  // --- missing required fields
  {
    name: 'todo_create without title',
    tool: 'todo_create',
    args: () => ({ priority: 'high' }),
    expect: [/\btitle\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note_create without body',
    tool: 'note_create',
    args: () => ({ title: 'Groceries' }),
    expect: [/\bbody\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note_create with neither title nor body names both',
    tool: 'note_create',
    args: () => ({}),
    expect: [/\btitle: required field is missing/, /\bbody: required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'habit_create without name',
    tool: 'habit_create',
    args: () => ({ cadence: 'daily' }),
    expect: [/\bname\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'journal_add without body',
    tool: 'journal_add',
    args: () => ({ mood: 3 }),
    expect: [/\bbody\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo_complete without todo_id',
    tool: 'todo_complete',
    args: () => ({}),
    expect: [/\btodo_id\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo_create with no arguments at all',
    tool: 'todo_create',
    expect: [/\btitle\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note_search with no arguments at all',
    tool: 'note_search',
    expect: [/\bquery\b/, /required field is missing/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- wrong types
  {
    name: 'number for a string (todo title)',
    tool: 'todo_create',
    args: () => ({ title: 42 }),
    expect: [/\btitle\b/, /expected title as a string \(received number\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'string for a number (habit target)',
    tool: 'habit_create',
    args: () => ({ name: 'Run', target_per_period: '3' }),
    expect: [/\btarget_per_period\b/, /whole number \(received string\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'array for a string (note title)',
    tool: 'note_create',
    args: () => ({ title: ['a', 'b'], body: 'text' }),
    expect: [/\btitle\b/, /string \(received array\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'object for a string (journal body)',
    tool: 'journal_add',
    args: () => ({ body: { text: 'dear diary' } }),
    expect: [/\bbody\b/, /string \(received object\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'null for a required string (todo title)',
    tool: 'todo_create',
    args: () => ({ title: null }),
    expect: [/\btitle\b/, /string \(received null\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'null for an optional enum (todo priority)',
    tool: 'todo_create',
    args: () => ({ title: 'Call mum', priority: null }),
    expect: [/\bpriority\b/, /"low", "normal" or "high"/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'string for a boolean (habit_list include_archived)',
    tool: 'habit_list',
    args: () => ({ include_archived: 'yes' }),
    expect: [/\binclude_archived\b/, /true or false \(received string\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'string for a number (todo_list limit)',
    tool: 'todo_list',
    args: () => ({ limit: '10' }),
    expect: [/\blimit\b/, /whole number from 1 to 200 \(received string\)/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- empty and over-long strings
  {
    name: 'empty todo title',
    tool: 'todo_create',
    args: () => ({ title: '' }),
    expect: [/\btitle\b/, /must not be empty/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'whitespace-only habit name',
    tool: 'habit_create',
    args: () => ({ name: '   \t ' }),
    expect: [/\bname\b/, /must not be empty/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'empty note_search query',
    tool: 'note_search',
    args: () => ({ query: '' }),
    expect: [/\bquery\b/, /must not be empty/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo title over 300 characters',
    tool: 'todo_create',
    args: () => ({ title: long(301) }),
    expect: [/\btitle\b/, /at most 300 characters/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note title over 200 characters',
    tool: 'note_create',
    args: () => ({ title: long(201), body: 'b' }),
    expect: [/\btitle\b/, /at most 200 characters/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'journal body over 20000 characters',
    tool: 'journal_add',
    args: () => ({ body: long(20_001) }),
    expect: [/\bbody\b/, /at most 20000 characters/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- unknown extra fields
  {
    name: 'unknown field on todo_create',
    tool: 'todo_create',
    args: () => ({ title: 'Buy milk', colour: 'red' }),
    expect: [/\bcolour\b/, /unknown field/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'unknown field on a tool without inputs (space_list)',
    tool: 'space_list',
    args: () => ({ verbose: true }),
    expect: [/\bverbose\b/, /unknown field/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'camelCase spelling of a field (habit_create targetPerPeriod)',
    tool: 'habit_create',
    args: () => ({ name: 'Read', targetPerPeriod: 2 }),
    expect: [/\btargetPerPeriod\b/, /unknown field/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- enum values not allowed
  {
    name: 'todo priority "urgent"',
    tool: 'todo_create',
    args: () => ({ title: 'Taxes', priority: 'urgent' }),
    expect: [/\bpriority\b/, /"low", "normal" or "high"/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'habit cadence "monthly"',
    tool: 'habit_create',
    args: () => ({ name: 'Budget review', cadence: 'monthly' }),
    expect: [/\bcadence\b/, /"daily" or "weekly"/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo_list status "pending"',
    tool: 'todo_list',
    args: () => ({ status: 'pending' }),
    expect: [/\bstatus\b/, /"open", "done" or "all"/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- bad dates
  {
    name: 'due_date 2026-13-40',
    tool: 'todo_create',
    args: () => ({ title: 'Dentist', due_date: '2026-13-40' }),
    expect: [/\bdue_date\b/, /YYYY-MM-DD/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'due_date "tomorrow"',
    tool: 'todo_create',
    args: () => ({ title: 'Dentist', due_date: 'tomorrow' }),
    expect: [/\bdue_date\b/, /YYYY-MM-DD/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'entry_date 2026-02-30 (no such day)',
    tool: 'journal_add',
    args: () => ({ body: 'A day that never was', entry_date: '2026-02-30' }),
    expect: [/\bentry_date\b/, /YYYY-MM-DD/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- ids that are not uuids
  {
    name: 'todo_id "abc"',
    tool: 'todo_complete',
    args: () => ({ todo_id: 'abc' }),
    expect: [/\btodo_id\b/, /uuid/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'habit_id as a number',
    tool: 'habit_archive',
    args: () => ({ habit_id: 42 }),
    expect: [/\bhabit_id\b/, /uuid.*\(received number\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note_id "not-a-uuid"',
    tool: 'note_delete',
    args: () => ({ note_id: 'not-a-uuid' }),
    expect: [/\bnote_id\b/, /uuid/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'space_id "personal"',
    tool: 'todo_create',
    args: () => ({ title: 'Somewhere', space_id: 'personal' }),
    expect: [/\bspace_id\b/, /uuid/, /space_list/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- well-formed ids of nothing
  {
    name: 'todo_id of no todo',
    tool: 'todo_complete',
    args: () => ({ todo_id: unknownId }),
    expect: [/\btodo_id\b/, /no todo/, /todo_list/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: 'habit_id of no habit (archive)',
    tool: 'habit_archive',
    args: () => ({ habit_id: unknownId }),
    expect: [/\bhabit_id\b/, /no habit/, /habit_list/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: 'habit_id of no habit (update)',
    tool: 'habit_update',
    args: () => ({ habit_id: unknownId, name: 'Renamed' }),
    expect: [/\bhabit_id\b/, /no habit/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: 'note_id of no note',
    tool: 'note_delete',
    args: () => ({ note_id: unknownId }),
    expect: [/\bnote_id\b/, /no note/, /note_search/],
    code: 'TOOL_INPUT_INVALID',
  },

  // --- ids that belong to another user
  {
    name: "completing another user's todo",
    tool: 'todo_complete',
    args: (f) => ({ todo_id: f.otherTodoId }),
    expect: [/\btodo_id\b/, /no todo .* of yours/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: "archiving another user's habit",
    tool: 'habit_archive',
    args: (f) => ({ habit_id: f.otherHabitId }),
    expect: [/\bhabit_id\b/, /no habit .* of yours/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: "renaming another user's habit",
    tool: 'habit_update',
    args: (f) => ({ habit_id: f.otherHabitId, name: 'Hijacked' }),
    expect: [/\bhabit_id\b/, /no habit .* of yours/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: "deleting another user's note",
    tool: 'note_delete',
    args: (f) => ({ note_id: f.otherNoteId }),
    expect: [/\bnote_id\b/, /no note .* of yours/],
    code: 'TOOL_INPUT_INVALID',
  },

  // --- spaces the user does not belong to
  {
    name: "creating a todo in another user's space",
    tool: 'todo_create',
    args: (f) => ({ title: 'Intruder', space_id: f.otherSpaceId }),
    expect: [/\bspace_id\b/, /that you belong to/, /space_list/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: "writing a journal entry in another user's space",
    tool: 'journal_add',
    args: (f) => ({ body: 'not mine', space_id: f.otherSpaceId }),
    expect: [/\bspace_id\b/, /that you belong to/],
    code: 'TOOL_INPUT_INVALID',
  },
  {
    name: 'listing habits of a space that does not exist',
    tool: 'habit_list',
    args: () => ({ space_id: unknownId }),
    expect: [/\bspace_id\b/, /that you belong to/],
    code: 'TOOL_INPUT_INVALID',
  },

  // --- mood out of range
  {
    name: 'mood 0',
    tool: 'journal_add',
    args: () => ({ body: 'meh', mood: 0 }),
    expect: [/\bmood\b/, /from 1 to 5/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'mood 6',
    tool: 'journal_add',
    args: () => ({ body: 'great', mood: 6 }),
    expect: [/\bmood\b/, /from 1 to 5/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'mood 2.5',
    tool: 'journal_add',
    args: () => ({ body: 'so-so', mood: 2.5 }),
    expect: [/\bmood\b/, /whole number/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- limits
  {
    name: 'todo_list limit 0',
    tool: 'todo_list',
    args: () => ({ limit: 0 }),
    expect: [/\blimit\b/, /from 1 to 200/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'note_search limit -5',
    tool: 'note_search',
    args: () => ({ query: 'milk', limit: -5 }),
    expect: [/\blimit\b/, /from 1 to 50/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo_list limit 2.5',
    tool: 'todo_list',
    args: () => ({ limit: 2.5 }),
    expect: [/\blimit\b/, /whole number/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'todo_list limit over the maximum',
    tool: 'todo_list',
    args: () => ({ limit: 10_000 }),
    expect: [/\blimit\b/, /from 1 to 200/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- habit_update with nothing to change
  {
    name: 'habit_update with no fields to change',
    tool: 'habit_update',
    args: (f) => ({ habit_id: f.ownHabitId }),
    expect: [/at least one of name, cadence, target_per_period/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- tags
  {
    name: 'tags as a comma-separated string',
    tool: 'note_create',
    args: () => ({ title: 'T', body: 'B', tags: 'work,home' }),
    expect: [/\btags\b/, /list of strings \(received string\)/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: '21 tags',
    tool: 'note_create',
    args: () => ({ title: 'T', body: 'B', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
    expect: [/\btags\b/, /at most 20 tags/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'an empty tag in the list',
    tool: 'note_create',
    args: () => ({ title: 'T', body: 'B', tags: ['ok', ''] }),
    expect: [/\btags\.1\b/, /tag must not be empty/],
    code: 'INVALID_ARGUMENTS',
  },
  {
    name: 'a number as a tag',
    tool: 'note_create',
    args: () => ({ title: 'T', body: 'B', tags: ['ok', 7] }),
    expect: [/\btags\.1\b/, /tag as a string \(received number\)/],
    code: 'INVALID_ARGUMENTS',
  },

  // --- unknown tool
  {
    name: 'unknown tool name',
    tool: 'todo_delete',
    args: () => ({ todo_id: unknownId }),
    expect: [/todo_delete/, /unknown tool/, /tools\/list/],
    code: 'UNKNOWN_TOOL',
  },

  // --- malformed idempotency keys (the arguments are valid: only the key is wrong)
  {
    name: 'idempotency key as a number',
    tool: 'todo_create',
    args: () => ({ title: 'Keyed' }),
    meta: { idempotencyKey: 123 },
    expect: [/_meta\.idempotencyKey/, /non-empty string/],
    code: 'INVALID_IDEMPOTENCY_KEY',
  },
  {
    name: 'idempotency key as an empty string',
    tool: 'todo_create',
    args: () => ({ title: 'Keyed' }),
    meta: { idempotencyKey: '' },
    expect: [/_meta\.idempotencyKey/, /non-empty string/],
    code: 'INVALID_IDEMPOTENCY_KEY',
  },
  {
    name: 'idempotency key over 200 characters',
    tool: 'habit_create',
    args: () => ({ name: 'Keyed' }),
    meta: { idempotencyKey: long(201) },
    expect: [/_meta\.idempotencyKey/, /at most 200 characters/],
    code: 'INVALID_IDEMPOTENCY_KEY',
  },

  // --- authorisation: an admin tool called by a non-admin (not listed, refused by policy)
  {
    name: 'admin tool called by a non-admin',
    tool: 'admin_user_list',
    args: () => ({}),
    expect: [/admin_user_list/, /requires an admin account/],
    code: 'POLICY_ADMIN_SCOPE',
    errorClass: 'policy',
  },
];

test('malformed tool calls come back as actionable tool errors and write nothing', async (t) => {
  const gw = await startTestGateway(ENV);
  const me = await gw.tokenFor({ email: 'malformed@example.com' });
  const other = await gw.tokenFor({ email: 'other@example.com' });
  const client = await gw.client(me.token);
  const otherClient = await gw.client(other.token);
  await client.listTools(); // as a real client would; caches the tools' output schemas

  // Fixtures: the other user's todo, habit and note, and a habit of the caller's own.
  const created = async (c: Client, name: string, args: Record<string, unknown>) => {
    const res = await c.callTool({ name, arguments: args });
    assert.equal(res.isError, undefined, `fixture ${name} failed: ${textOf(res as CallToolResult)}`);
    return res.structuredContent as Record<string, { id: string }>;
  };
  const fixtures: Fixtures = {
    ownHabitId: (await created(client, 'habit_create', { name: 'Stretch' })).habit!.id,
    otherTodoId: (await created(otherClient, 'todo_create', { title: 'Not yours' })).todo!.id,
    otherHabitId: (await created(otherClient, 'habit_create', { name: 'Not yours' })).habit!.id,
    otherNoteId: (await created(otherClient, 'note_create', { title: 'Private', body: 'secret' })).note!.id,
    otherSpaceId: other.personalSpaceId,
  };
  const snapshot = async () =>
    (
      await gw.database.pool.query(
        `SELECT
           (SELECT row_to_json(t) FROM todos t WHERE id = $1) AS todo,
           (SELECT row_to_json(h) FROM habits h WHERE id = $2) AS habit,
           (SELECT row_to_json(n) FROM notes n WHERE id = $3) AS note,
           (SELECT row_to_json(h) FROM habits h WHERE id = $4) AS own_habit`,
        [fixtures.otherTodoId, fixtures.otherHabitId, fixtures.otherNoteId, fixtures.ownHabitId],
      )
    ).rows[0] as Record<string, Record<string, unknown> | null>;
  const rowsBefore = await snapshot();
  assert.equal(rowsBefore.todo?.completed_at, null);
  const countsBefore = await countAll(gw);

  assert.ok(cases.length >= 40, `corpus has ${cases.length} cases`);
  for (const c of cases) {
    await t.test(c.name, async () => {
      const params = {
        name: c.tool,
        ...(c.args ? { arguments: c.args(fixtures) } : {}),
        ...(c.meta ? { _meta: c.meta } : {}),
      };
      // A thrown error (JSON-RPC error, HTTP 4xx/5xx) rejects here and fails the case.
      const res = (await client.callTool(params)) as CallToolResult;
      const text = textOf(res);
      assert.equal(res.isError, true, `expected an error result, got: ${text}`);
      assert.equal(res.structuredContent, undefined);
      assert.equal(res._meta?.errorClass, c.errorClass ?? 'persona', text);
      assert.equal(res._meta?.errorCode, c.code, text);
      for (const re of c.expect) assert.match(text, re);
    });
  }

  await t.test('nothing was written by any of them', async () => {
    assert.deepEqual(await countAll(gw), countsBefore);
    const rowsAfter = await snapshot();
    assert.deepEqual(rowsAfter, rowsBefore);
    assert.equal(rowsAfter.todo?.completed_at, null, "the other user's todo is still open");
    assert.equal(rowsAfter.habit?.archived_at, null, "the other user's habit is not archived");
    assert.equal(rowsAfter.habit?.name, 'Not yours', "the other user's habit is not renamed");
    assert.ok(rowsAfter.note, "the other user's note still exists");
    assert.equal(rowsAfter.own_habit?.name, 'Stretch', 'habit_update with nothing to change changed nothing');
  });

  await t.test('the other user still sees their todo open', async () => {
    const res = await otherClient.callTool({ name: 'todo_list', arguments: { status: 'open' } });
    const listed = (res.structuredContent as { todos: { id: string }[] }).todos.map((x) => x.id);
    assert.deepEqual(listed, [fixtures.otherTodoId]);
  });
});

test('a handler that fails after writing is a product error and its write is rolled back', async () => {
  let insertedId: string | undefined;
  const failingTool = defineTool({
    name: 'test_failing_tool',
    title: 'Fails after writing',
    description: 'Inserts a todo, then throws.',
    module: 'todos',
    scope: 'user-space',
    policyHint: 'write',
    encryptedFields: {},
    input: z.strictObject({ title: z.string() }),
    output: z.object({ ok: z.boolean() }),
    async handler(input, ctx) {
      const [row] = await ctx.tx
        .insert(todos)
        .values({ userId: ctx.user.id, spaceId: ctx.user.personalSpaceId, title: input.title })
        .returning({ id: todos.id });
      insertedId = row!.id;
      throw new Error('database exploded: secret internal detail');
    },
  });
  const gw = await startTestGateway(ENV, {
    registry: [...toolRegistry, failingTool as unknown as (typeof toolRegistry)[number]],
  });
  const { token } = await gw.tokenFor({ email: 'failing@example.com' });
  const client = await gw.client(token);
  const before = await countAll(gw);

  const res = (await client.callTool({
    name: 'test_failing_tool',
    arguments: { title: 'Doomed' },
  })) as CallToolResult;
  const text = textOf(res);
  assert.equal(res.isError, true);
  assert.equal(res._meta?.errorClass, 'product');
  assert.equal(res._meta?.errorCode, 'HANDLER_FAILED');
  assert.match(text, /test_failing_tool failed inside the product \(ref [0-9a-f]{8}\)/);
  assert.match(text, /nothing was written/);
  assert.doesNotMatch(text, /secret internal detail/, 'internal error details stay in the log');

  assert.ok(insertedId, 'the handler did insert before throwing');
  const row = await gw.database.pool.query('SELECT 1 FROM todos WHERE id = $1', [insertedId]);
  assert.equal(row.rowCount, 0, 'the insert was rolled back');
  assert.deepEqual(await countAll(gw), before);

  // The gateway is fine afterwards: the same session still serves normal calls.
  const ok = await client.callTool({ name: 'todo_create', arguments: { title: 'Survivor' } });
  assert.equal(ok.isError, undefined);
  assert.equal(await gw.count('todos'), before.todos! + 1);
});
