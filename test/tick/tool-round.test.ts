// How a round's tool calls run, on each side of the tick's patches. Since `tick-local-steps`, each call
// is a local activity of its own: when one fails retryably, only it is repeated. Between `tick-rounds`
// and that patch (ticks still running when a worker is upgraded), a round was one activity (callTools):
// when one call failed retryably, Temporal repeated the whole round, the completed call was sent again
// with the same idempotency key and the gateway answered it from its record. Either way the product is
// written once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../helpers/fake-messages-api.ts';
import type { temporal } from '@temporalio/proto';
import { localActivityOf } from '../../lib/temporal/markers.ts';
import { startClaudeTickEnv } from '../helpers/tick-env.ts';

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

test('between the patches (one callTools activity per round): the round is repeated, the completed call is written once', async () => {
  const { ids, titles } = scriptTwoCreates('round');
  const faults = failFirstAttemptOf(ids[1]!);
  try {
    const handle = await env.start({ beforeLocalSteps: true });
    const result = await handle.result();
    assert.equal(result.status, 'completed');

    const history = (await handle.fetchHistory()).events ?? [];
    const rounds = history.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'callTools',
    );
    assert.equal(rounds.length, 1, 'one activity for the round');
    const started = history.filter((e) => e.activityTaskStartedEventAttributes);
    assert.ok(
      started.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) === 2),
      'the round ran a second attempt',
    );
    assert.equal(faults.attemptsOf(ids[0]!), 2, 'the completed call was sent again');
    await assertWrittenOnce(handle, ids, titles);
  } finally {
    faults.restore();
  }
});

test('the benchmark’s baselines run as ticks ran before each patch', async () => {
  const script = () =>
    fake.push(
      toolTurn(
        toolUse('toolu_base_a', 'note_create', { title: 'baseline a', body: 'x' }),
        toolUse('toolu_base_b', 'note_create', { title: 'baseline b', body: 'y' }),
      ),
      endTurn(),
      ratingTurn({ notes: 4 }),
    );
  const shape = async (input: {
    beforeRoundsPatch?: boolean;
    beforeLocalSteps?: boolean;
    beforeRateInLastCall?: boolean;
  }) => {
    script();
    const handle = await env.start(input);
    assert.equal((await handle.result()).status, 'completed');
    const events = (await handle.fetchHistory()).events ?? [];
    return {
      activities: events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
      markers: events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []),
      local: localActivities({ events }).map((l) => l.type),
      feedback: (
        await env.query<{ module: string; rating: number }>(
          'SELECT module, rating FROM persona_feedback WHERE tick_id = $1 ORDER BY module',
          [handle.workflowId],
        )
      ).map((f) => [f.module, f.rating]),
    };
  };
  const before = await shape({ beforeRoundsPatch: true });
  assert.deepEqual(before.activities, [
    'login',
    'modelCall',
    'callTool',
    'callTool',
    'modelCall',
    'rate',
    'persistTick',
  ]);
  assert.ok(!before.markers.includes('core_local_activity'));
  const rounds = await shape({ beforeLocalSteps: true });
  assert.deepEqual(rounds.activities, ['login', 'modelCall', 'callTools', 'modelCall', 'rate']);
  assert.deepEqual(rounds.local, ['persistTick'], 'persist ran as a local activity');
  const local = await shape({ beforeRateInLastCall: true });
  assert.deepEqual(local.activities, ['modelCall', 'modelCall', 'rate']);
  assert.deepEqual(local.local, ['login', 'callTool', 'callTool', 'persistTick']);
  // Today the rating turn is asked by the model call that ended the main turn.
  const now = await shape({});
  assert.deepEqual(now.activities, ['modelCall', 'modelCall']);
  assert.deepEqual(now.local, ['login', 'callTool', 'callTool', 'persistTick']);
  assert.deepEqual(now.feedback, [['notes', 4]]);
});
