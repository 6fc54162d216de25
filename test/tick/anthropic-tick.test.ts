import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { endTurn, ratingTurn, textBlock, toolTurn, toolUse } from '../support/fake-steps.ts';
import { isRatingRequest } from '../support/fake-messages-api.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { TEST_SEED_SECRET } from '../support/secrets.ts';

const API_KEY = 'sk-ant-test-0123456789-SECRET';
const { fake, env } = await startClaudeTickEnv({ apiKey: API_KEY });

type Row = Record<string, unknown>;
const tickRow = async (id: string) =>
  (await env.query<Row>('SELECT * FROM persona_ticks WHERE id = $1', [id]))[0]!;
const actionsOf = (id: string) =>
  env.query<Row>(
    'SELECT tool_name, tool_use_id, outcome, error_class, result_summary FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [id],
  );
const feedbackOf = (id: string) =>
  env.query<Row>('SELECT module, rating, notes FROM persona_feedback WHERE tick_id = $1 ORDER BY module', [
    id,
  ]);
const assertScriptConsumed = () => {
  assert.equal(fake.exhausted, false, 'the fake Messages API ran out of script');
  assert.equal(fake.remaining, 0, 'the tick did not make every scripted call');
};

test('parallel tool_use: results matched by tool_use_id, the error attributed to the call that failed', async () => {
  const before = fake.requests.length;
  fake.push(
    toolTurn(
      toolUse('toolu_bad', 'todo_complete', { todo_id: 'not-a-uuid' }),
      toolUse('toolu_good', 'todo_create', { title: 'Ship the release' }),
    ),
    endTurn(),
    ratingTurn({ todos: { rating: 3, notes: 'one mistake was mine' } }),
  );
  const handle = await env.start();
  const result = await handle.result();
  assertScriptConsumed();
  assert.equal(result.status, 'completed');
  const actions = await actionsOf(handle.workflowId);
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
    [
      ['toolu_bad', 'error', 'persona'],
      ['toolu_good', 'ok', null],
    ],
  );
  // The second model call got one tool_result per tool_use, each under its own id.
  const second = fake.requests[before + 1]!.body.messages.at(-1)!.content as Array<{
    tool_use_id: string;
    is_error?: boolean;
    content: string;
  }>;
  const byId = new Map(second.map((r) => [r.tool_use_id, r]));
  assert.equal(byId.get('toolu_bad')?.is_error, true);
  assert.match(byId.get('toolu_bad')!.content, /todo_id/);
  assert.equal(byId.get('toolu_good')?.is_error, undefined);
  assert.match(byId.get('toolu_good')!.content, /Ship the release/);
  // Prompt caching on the system prompt and the last tool; the SDK sends the key as a header only.
  const first = fake.requests[before]!;
  assert.ok(first.body.tools?.at(-1)?.cache_control);
  assert.deepEqual((first.body.system as Array<{ cache_control?: unknown }>)[0]?.cache_control, {
    type: 'ephemeral',
  });
  assert.equal(first.headers.authorization, `Bearer ${API_KEY}`);
  // The moving breakpoint: the last block of each of the last two user turns is marked for caching.
  const marked = (m: { content: unknown }) =>
    Array.isArray(m.content) && !!(m.content.at(-1) as { cache_control?: unknown }).cache_control;
  const secondMessages = fake.requests[before + 1]!.body.messages;
  assert.deepEqual(
    secondMessages.map((m) => m.role === 'user' && marked(m)),
    [true, false, true],
    'breakpoints on both user turns of round 1',
  );
  // The rating turn continues the conversation: same system prompt and tools (tool_choice untouched,
  // so the cached prefix holds), the conversation as the persona lived it, then the rating prompt.
  const rating = fake.requests[before + 2]!.body as unknown as {
    system: unknown;
    tools?: Array<{ name: string }>;
    tool_choice?: unknown;
    messages: Array<{ role: string; content: unknown }>;
    output_config?: { format?: { schema?: { required?: string[] } } };
  };
  assert.deepEqual(rating.tools, first.body.tools);
  assert.deepEqual(rating.system, first.body.system);
  assert.equal(rating.tool_choice, undefined);
  // Compared without cache marks (which move) and with a string turn as the one text block it is.
  const plain = (ms: Array<{ role: string; content: unknown }>) =>
    ms.map((m) =>
      JSON.parse(
        JSON.stringify(
          typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content,
          (k, v: unknown) => (k === 'cache_control' ? undefined : v),
        ),
      ),
    );
  assert.deepEqual(plain(rating.messages.slice(0, 3)), plain(secondMessages), 'the main turn, unchanged');
  assert.equal(rating.messages[3]!.role, 'assistant');
  const ratingPrompt = JSON.stringify(rating.messages.at(-1)!.content);
  assert.match(ratingPrompt, /Modules to rate: todos/);
  assert.match(ratingPrompt, /do not use any more tools/);
  // The first request's tool results carried the product's error the rating rests on.
  assert.match(JSON.stringify(rating.messages[2]!.content), /todo_id/);
  assert.deepEqual(rating.output_config?.format?.schema?.required, ['todos']);
  assert.deepEqual(await feedbackOf(handle.workflowId), [
    { module: 'todos', rating: 3, notes: 'one mistake was mine' },
  ]);
  const n = await env.count('SELECT count(*)::int AS n FROM todos');
  assert.equal(n, 1);
});

test('529 overloaded, then success: retried by Temporal honouring retry-after', async () => {
  const before = fake.requests.length;
  fake.push(
    {
      status: 529,
      error: { type: 'overloaded_error', message: 'Overloaded' },
      headers: { 'retry-after-ms': '200' },
    },
    endTurn('Quiet day.'),
  );
  const handle = await env.start();
  const result = await handle.result();
  assertScriptConsumed();
  assert.equal(fake.requests.length - before, 2, 'one failed attempt and one retry');
  assert.equal(result.endReason, 'end_turn');
  const history = await handle.fetchHistory();
  const failedAttempt = history.events?.find((e) => e.activityTaskStartedEventAttributes?.attempt === 2);
  assert.ok(failedAttempt, 'the model-call activity ran a second attempt');
});

test('400 fails fast as non-retryable, with the reason recorded on the tick', async () => {
  const before = fake.requests.length;
  fake.push({
    status: 400,
    error: { type: 'invalid_request_error', message: 'messages: roles must alternate' },
  });
  const handle = await env.start();
  await assert.rejects(handle.result(), (err: unknown) => {
    assert.ok(err instanceof WorkflowFailedError);
    const cause = err.cause?.cause;
    assert.ok(cause instanceof ApplicationFailure);
    assert.equal(cause.type, 'LlmBadRequest');
    assert.equal(cause.nonRetryable, true);
    return true;
  });
  assertScriptConsumed();
  assert.equal(fake.requests.length - before, 1, 'no retry of a 400');
  const tick = await tickRow(handle.workflowId);
  assert.equal(tick.status, 'failed');
  assert.equal(tick.end_reason, 'error:LlmBadRequest');
  assert.match(String(tick.failure), /roles must alternate/);
});

test('max_tokens and refusal end the main turn with that reason', async () => {
  for (const stop of ['max_tokens', 'refusal']) {
    fake.push({ message: { content: [textBlock('I')], stop_reason: stop } });
    const handle = await env.start();
    const result = await handle.result();
    assertScriptConsumed();
    assert.equal(result.endReason, stop);
    assert.equal((await tickRow(handle.workflowId)).end_reason, stop);
  }
});

test('a rating that leaves out a used module is recorded as the tick’s rating error', async () => {
  fake.push(
    toolTurn(
      toolUse('toolu_t', 'todo_create', { title: 'Plan' }),
      toolUse('toolu_n', 'note_create', { title: 'Idea', body: 'An idea' }),
    ),
    endTurn(),
    ratingTurn('```json\n  { "todos": { "rating": 5, "notes": "smooth" } }\n```'),
  );
  const handle = await env.start();
  await handle.result();
  assertScriptConsumed();
  const tick = await tickRow(handle.workflowId);
  assert.match(String(tick.rating_error), /missing module\(s\): notes/);
  assert.deepEqual(
    (await feedbackOf(handle.workflowId)).map((f) => [f.module, f.rating]),
    [['todos', 5]],
  );
});

test('garbage rating output becomes a __parse row', async () => {
  fake.push(
    toolTurn(toolUse('toolu_h', 'habit_create', { name: 'Stretch' })),
    endTurn(),
    ratingTurn('I loved it, five stars!!'),
  );
  const handle = await env.start();
  await handle.result();
  assertScriptConsumed();
  const feedback = await feedbackOf(handle.workflowId);
  assert.equal(feedback.length, 1);
  assert.equal(feedback[0]!.module, '__parse');
  assert.equal(feedback[0]!.rating, null);
  assert.match(String(feedback[0]!.notes), /five stars/);
  assert.match(String((await tickRow(handle.workflowId)).rating_error), /unparseable/);
});

test('no secret in workflow history: not the JWT, the derived password, nor the API key', async () => {
  fake.push(
    toolTurn(toolUse('toolu_s', 'todo_create', { title: 'Secret check' })),
    endTurn(),
    ratingTurn({ todos: 4 }),
  );
  const handle = await env.start();
  await handle.result();
  assertScriptConsumed();
  const history = JSON.stringify(await handle.fetchHistory());
  // Payloads are base64 in history: decode every data field too before searching.
  const decoded = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)]
    .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
    .join('\n');
  const jwt = await env.deps.sessions.token(env.personaId);
  const password = derivePersonaPassword(TEST_SEED_SECRET, DEFAULT_PERSONA.email);
  for (const [name, secret] of [
    ['JWT', jwt],
    ['password', password],
    ['API key', API_KEY],
  ] as const) {
    assert.equal(history.includes(secret), false, `${name} found in history`);
    assert.equal(decoded.includes(secret), false, `${name} found in decoded history payloads`);
  }
  assert.ok(decoded.includes(env.personaId), 'the decoding is real: the persona id is visible in payloads');
});

test('a rating answer that calls a tool is asked again with tool use disabled; the tool never runs', async () => {
  const before = fake.requests.length;
  fake.push(
    toolTurn(toolUse('toolu_r1', 'todo_create', { title: 'Water the plants' })),
    endTurn(),
    toolTurn(toolUse('toolu_r2', 'todo_create', { title: 'Not during the rating' })),
    ratingTurn({ todos: { rating: 4, notes: 'fine' } }),
  );
  const todosBefore = await env.count('SELECT count(*)::int AS n FROM todos');
  const handle = await env.start();
  const result = await handle.result();
  assertScriptConsumed();
  assert.equal(result.status, 'completed');
  const [firstRating, secondRating] = fake.requests
    .slice(before + 2)
    .map((r) => r.body as { tool_choice?: unknown });
  assert.equal(firstRating!.tool_choice, undefined);
  assert.deepEqual(secondRating!.tool_choice, { type: 'none' });
  assert.equal(await env.count('SELECT count(*)::int AS n FROM todos'), todosBefore + 1);
  assert.deepEqual(await feedbackOf(handle.workflowId), [{ module: 'todos', rating: 4, notes: 'fine' }]);
});

test('a returning persona: the day prompt recaps its previous tick, the same words in every round', async () => {
  const before = fake.requests.length;
  fake.push(
    toolTurn(toolUse('toolu_c1', 'todo_list', {})),
    endTurn(),
    ratingTurn({ todos: { rating: 5, notes: 'quick' } }),
  );
  const handle = await env.start();
  await handle.result();
  assertScriptConsumed();
  const [round0, round1] = fake.requests
    .slice(before, before + 2)
    .map((r) => JSON.stringify(r.body.messages[0]));
  assert.match(round0!, /Last time you were here/);
  // The previous test's tick: what it did and what the persona said about it.
  assert.match(round0!, /todo_create ×2|todo_create/);
  assert.match(round0!, /todos 4\/5 — “fine”/);
  const text = (m: string) =>
    JSON.stringify((JSON.parse(m) as { content: unknown }).content).replace(
      /,?"cache_control":\{[^}]*\}/g,
      '',
    );
  assert.equal(text(round1!), text(round0!), 'round 1 re-sends the stored opening');
});

test('the rating is asked by the call that ends the main turn; when it fails there, a rate activity asks again and the main turn is not paid twice', async () => {
  // Happy path: no `rate` activity, the rating turn right after the answer that ended the main turn.
  const scheduled = async (id: string) =>
    ((await env.client.workflow.getHandle(id).fetchHistory()).events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
  fake.push(
    toolTurn(toolUse('toolu_in1', 'todo_create', { title: 'Rated in the same call' })),
    endTurn(),
    ratingTurn({ todos: { rating: 5, notes: 'one call' } }),
  );
  const inCall = await env.start();
  assert.equal((await inCall.result()).status, 'completed');
  assertScriptConsumed();
  assert.deepEqual(await scheduled(inCall.workflowId), ['modelCall', 'modelCall']);
  assert.deepEqual(await feedbackOf(inCall.workflowId), [{ module: 'todos', rating: 5, notes: 'one call' }]);

  // The rating request fails inside the model call: the call still returns the main answer (not
  // retried, so not asked again), and the workflow rates in a `rate` activity of its own.
  const before = fake.requests.length;
  fake.push(
    toolTurn(toolUse('toolu_in2', 'todo_create', { title: 'Rated on the second try' })),
    endTurn(),
    { status: 500, error: { type: 'api_error', message: 'rating went wrong' } },
    ratingTurn({ todos: { rating: 4, notes: 'second try' } }),
  );
  const fallback = await env.start();
  assert.equal((await fallback.result()).status, 'completed');
  assertScriptConsumed();
  assert.deepEqual(await scheduled(fallback.workflowId), ['modelCall', 'modelCall', 'rate']);
  const purposes = fake.requests.slice(before).map((r) => (isRatingRequest(r) ? 'rating' : 'main'));
  assert.deepEqual(purposes, ['main', 'main', 'rating', 'rating'], 'each main call asked once');
  assert.deepEqual(await feedbackOf(fallback.workflowId), [
    { module: 'todos', rating: 4, notes: 'second try' },
  ]);
  const attempts = ((await fallback.fetchHistory()).events ?? []).flatMap(
    (e) => e.activityTaskStartedEventAttributes?.attempt ?? [],
  );
  assert.deepEqual(attempts, [1, 1, 1], 'no activity was retried');
});
