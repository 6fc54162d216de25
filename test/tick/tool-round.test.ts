// How a round's tool calls run: each call is a local activity of its own, so when one fails
// retryably, only it is repeated, and the product is written once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import type { temporal } from '@temporalio/proto';
import { localActivityOf } from '../../lib/temporal/markers.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';

const { fake, env } = await startClaudeTickEnv({ apiKey: 'sk-ant-test-round' });

/** Each local activity's type and attempt, from the bookkeeping its marker carries. */
const localActivities = (history: temporal.api.history.v1.IHistory) =>
  (history.events ?? []).flatMap((e) => localActivityOf(e.markerRecordedEventAttributes) ?? []);

/** Makes the first attempt of the tool call `toolUseId` find the gateway unreachable (a failed fetch: infra). */
function failFirstAttemptOf(toolUseId: string) {
  const sessions = env.deps.sessions;
  const realCallTool = sessions.callTool.bind(sessions);
  const attempts = new Map<string, number>();
  sessions.callTool = async (personaId, name, args, idempotencyKey) => {
    const n = (attempts.get(idempotencyKey) ?? 0) + 1;
    attempts.set(idempotencyKey, n);
    if (idempotencyKey.endsWith(`:${toolUseId}`) && n === 1) throw new TypeError('fetch failed');
    return realCallTool(personaId, name, args, idempotencyKey);
  };
  return {
    attemptsOf: (id: string) => [...attempts].find(([k]) => k.endsWith(`:${id}`))?.[1] ?? 0,
    restore: () => void (sessions.callTool = realCallTool),
  };
}

/** Scripts a round of two parallel todo_create calls (`toolu_<tag>_a`, `_b`), the end and a rating. */
function scriptTwoCreates(tag: string) {
  const ids = [`toolu_${tag}_a`, `toolu_${tag}_b`];
  const titles = [`${tag} retry a`, `${tag} retry b`];
  fake.push(
    toolTurn(...ids.map((id, i) => toolUse(id, 'todo_create', { title: titles[i] }))),
    endTurn(),
    ratingTurn({ todos: 4 }),
  );
  return { ids, titles };
}

async function assertWrittenOnce(handle: { workflowId: string }, ids: string[], titles: string[]) {
  const actions = await env.query<{ tool_use_id: string; outcome: string; error_class: string | null }>(
    'SELECT tool_use_id, outcome, error_class FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [handle.workflowId],
  );
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
    ids.map((id) => [id, 'ok', null]),
  );
  for (const title of titles)
    assert.equal(await env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', [title]), 1, title);
}

test('one call of a round fails retryably: only that call is repeated, each is written once', async () => {
  const { ids, titles } = scriptTwoCreates('local');
  const faults = failFirstAttemptOf(ids[1]!);
  try {
    const handle = await env.start();
    assert.equal((await handle.result()).status, 'completed');
    const calls = localActivities(await handle.fetchHistory()).filter((l) => l.type === 'callTool');
    assert.deepEqual(
      calls.map((c) => c.attempt).sort(),
      [1, 2],
      'two local callTool activities, the failed one completed on its second attempt',
    );
    assert.equal(faults.attemptsOf(ids[0]!), 1, 'the call that completed was not sent again');
    assert.equal(faults.attemptsOf(ids[1]!), 2);
    await assertWrittenOnce(handle, ids, titles);
  } finally {
    faults.restore();
  }
});

test('a tick’s shape: model calls are activities; login, tool calls and persist local activities; the last call rates', async () => {
  fake.push(
    toolTurn(
      toolUse('toolu_shape_a', 'note_create', { title: 'shape a', body: 'x' }),
      toolUse('toolu_shape_b', 'note_create', { title: 'shape b', body: 'y' }),
    ),
    endTurn(),
    ratingTurn({ notes: 4 }),
  );
  const handle = await env.start();
  assert.equal((await handle.result()).status, 'completed');
  const events = (await handle.fetchHistory()).events ?? [];
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  assert.deepEqual(activities, ['modelCall', 'modelCall']);
  assert.deepEqual(
    localActivities({ events }).map((l) => l.type),
    ['login', 'callTool', 'callTool', 'persistTick'],
  );
  const feedback = await env.query<{ module: string; rating: number }>(
    'SELECT module, rating FROM persona_feedback WHERE tick_id = $1 ORDER BY module',
    [handle.workflowId],
  );
  assert.deepEqual(
    feedback.map((f) => [f.module, f.rating]),
    [['notes', 4]],
  );
});
