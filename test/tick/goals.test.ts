// Goals on a real tick (scripted persona, real gateway, Postgres and Temporal): one achieved, one
// failed although the product answered (its end state lacks what the check needs), one `check-error`
// (the check tool itself fails), one self-reported; the rows, their evidence, and the new step behind
// its patch. And the gateway refuses a goal check through a tool that writes.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startDashboard } from '../../dashboard/server.ts';
import { patchIdOf } from '../../lib/temporal/markers.ts';
import type { Goal } from '../../lib/personas/goals.ts';
import { GOALS_PATCH } from '../../workflows/tick-steps.ts';
import { TEST_KEK } from '../support/secrets.ts';
import { startTickEnv } from '../support/tick-env.ts';

// `status: all`: the persona may complete a todo later in its day; it still put it on its list.
const todosContaining = (contains: Record<string, unknown>) => ({
  type: 'object',
  required: ['todos'],
  properties: { todos: { type: 'array', contains } },
});

const goals: Goal[] = [
  {
    id: 'plumber',
    module: 'todos',
    ask: "Put 'Call the plumber' on your list, due ${tomorrow}.",
    check: {
      tool: 'todo_list',
      arguments: { status: 'all', limit: 200 },
      expect: todosContaining({
        type: 'object',
        required: ['title', 'due_date', 'created_at'],
        properties: {
          title: { pattern: '[Pp]lumber' },
          due_date: { const: '${tomorrow}' },
          created_at: { type: 'string', format: 'date-time', formatMinimum: '${tick.started}' },
        },
      }),
    },
    scripted: [{ tool: 'todo_create', arguments: { title: 'Call the plumber', due_date: '${tomorrow}' } }],
  },
  {
    // The persona creates the todo, but with high priority nobody asked for: the product did what it
    // was told, and the end state still lacks a "low" one.
    id: 'low-priority',
    module: 'todos',
    ask: "Add 'Water the plants' as a low-priority todo.",
    check: {
      tool: 'todo_list',
      arguments: { status: 'all', limit: 200 },
      expect: todosContaining({
        required: ['title', 'priority'],
        properties: { title: { pattern: 'plants' }, priority: { const: 'low' } },
      }),
    },
    scripted: [{ tool: 'todo_create', arguments: { title: 'Water the plants', priority: 'high' } }],
  },
  {
    id: 'habit-check',
    module: 'habits',
    ask: 'Start a habit of stretching.',
    check: { tool: 'habit_list', arguments: {}, expect: { type: 'object' } },
    scripted: [{ tool: 'habit_create', arguments: { name: 'Stretch' } }],
  },
  {
    id: 'diary',
    module: 'journal',
    ask: 'Write in your journal how today went.',
    scripted: [{ tool: 'journal_add', arguments: { body: 'A calm day.', mood: 4 } }],
  },
];

// habit_list always fails inside the product: that goal's check is a `check-error`, never `failed`.
const env = await startTickEnv({
  persona: { goals, moduleMix: { todos: 0.5, habits: 0.2, journal: 0.3 } },
  gatewayEnv: { GATEWAY_FAULTS: JSON.stringify({ habit_list: { errorRate: 1 } }) },
});

test('a tick’s goals: achieved, failed though every call succeeded, check-error, self-reported', async () => {
  const handle = await env.start();
  assert.equal((await handle.result()).status, 'completed');
  const rows = await env.query<{
    goal_id: string;
    module: string;
    source: string;
    outcome: string;
    evidence: unknown;
    self_report: { achieved: boolean; why: string } | null;
  }>(
    'SELECT goal_id, module, source, outcome, evidence, self_report FROM persona_goals WHERE tick_id = $1 ORDER BY goal_id',
    [handle.workflowId],
  );
  const byId = Object.fromEntries(rows.map((r) => [r.goal_id, r]));
  assert.deepEqual(
    rows.map((r) => [r.goal_id, r.source, r.outcome]),
    [
      ['diary', 'self-reported', 'achieved'],
      ['habit-check', 'checked', 'check-error'],
      ['low-priority', 'checked', 'failed'],
      ['plumber', 'checked', 'achieved'],
    ],
  );
  assert.match(JSON.stringify(byId.plumber!.evidence), /Call the plumber/);
  assert.match(
    JSON.stringify(byId['low-priority']!.evidence),
    /priority/,
    'the reason names what was missing',
  );
  assert.match(String(byId['habit-check']!.evidence), /^product: /);
  assert.deepEqual(byId.diary!.self_report, { achieved: true, why: 'everything I tried for it worked' });
  // The goals' own calls succeeded: only the end state tells the failed goal apart. (The persona's
  // other calls of its day may include a seeded slip, so only the goals' calls are looked at.)
  const actions = await env.query<{ tool_name: string; outcome: string; result_summary: string | null }>(
    'SELECT tool_name, outcome, result_summary FROM persona_actions WHERE tick_id = $1 AND tool_name IN ($2, $3)',
    [handle.workflowId, 'todo_create', 'journal_add'],
  );
  const shown = JSON.stringify(actions);
  for (const title of ['Call the plumber', 'Water the plants']) {
    const made = actions.filter((a) => a.tool_name === 'todo_create' && a.result_summary?.includes(title));
    assert.ok(made.length > 0 && made.every((a) => a.outcome === 'ok'), `${title}: ${shown}`);
  }
  assert.ok(
    actions.some((a) => a.tool_name === 'journal_add' && a.outcome === 'ok'),
    shown,
  );
  // The checks are not the persona's: no action rows for them. The persona may list its todos or
  // habits itself on some days, so what is counted is a listing no model call asked for.
  const checks = await env.count(
    `SELECT count(*)::int AS n FROM persona_actions WHERE tick_id = $1 AND tool_name IN ('todo_list', 'habit_list')
        AND (tool_use_id IS NULL OR tool_use_id NOT LIKE 'toolu\\_%')`,
    [handle.workflowId],
  );
  assert.equal(checks, 0);
  // The new step is behind its patch, and runs as one local activity.
  const history = await handle.fetchHistory();
  const patches = (history.events ?? []).flatMap((e) => patchIdOf(e.markerRecordedEventAttributes) ?? []);
  assert.ok(patches.includes(GOALS_PATCH), `patches: ${patches.join(', ')}`);
});

test('the gateway answers a goal check only through a read-only tool, in every policy mode', async () => {
  const { token } = await env.gw.tokenFor({
    email: 'checker@personas.test',
    password: 'a long enough password',
  });
  const client = await env.gw.client(token);
  const write = await client.callTool({
    name: 'todo_create',
    arguments: { title: 'sneaky' },
    _meta: { 'persona-runner/goal-check': true },
  });
  assert.equal(write.isError, true);
  assert.equal((write._meta as Record<string, unknown>).errorCode, 'GOAL_CHECK_NOT_READ_ONLY');
  const read = await client.callTool({
    name: 'todo_list',
    arguments: {},
    _meta: { 'persona-runner/goal-check': true },
  });
  assert.equal(read.isError, undefined);
  assert.equal(
    await env.count("SELECT count(*)::int AS n FROM todos WHERE title = 'sneaky'"),
    0,
    'nothing was written',
  );
});

test('the dashboard shows them: the tick page (outcomes, evidence, self-report), the persona page and the overview', async () => {
  const handle = await env.start();
  await handle.result();
  const dashboard = await startDashboard({
    kek: TEST_KEK,
    db: env.gw.database.db,
    port: 0,
    refreshSeconds: 0,
  });
  after(() => dashboard.close());
  const get = async (p: string) => (await fetch(`${dashboard.url}${p}`)).text();
  const tick = await get(`/ticks/${encodeURIComponent(handle.workflowId)}`);
  assert.match(tick, /<h2>Goals<small>/);
  assert.match(
    tick,
    /<td>plumber<\/td><td>todos<\/td><td>checked<\/td><td><span class="ok">achieved<\/span>/,
  );
  assert.match(
    tick,
    /<td>low-priority<\/td>.*<span class="err">failed<\/span>.*must contain at least 1 valid item/s,
  );
  assert.match(
    tick,
    /<td>diary<\/td><td>journal<\/td><td>self-reported<\/td>.*everything I tried for it worked/s,
  );
  const persona = await get(`/personas/${env.personaId}`);
  assert.match(persona, /<h2>Goals over time<small>/);
  const overview = await get('/');
  assert.match(overview, /<h2>Goals per module<small>/);
  assert.match(overview, /<td>todos<\/td><td>checked<\/td>/);
});
