// How a round's tool calls run, on each side of the tick's patches. Since `tick-local-steps`, each call
// is a local activity of its own: when one fails retryably, only it is repeated. Between `tick-rounds`
// and that patch (ticks still running when a worker is upgraded), a round was one activity (callTools):
// when one call failed retryably, Temporal repeated the whole round, the completed call was sent again
// with the same idempotency key and the gateway answered it from its record. Either way the product is
// written once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../helpers/fake-messages-api.ts';
import { startClaudeTickEnv } from '../helpers/tick-env.ts';

type HistoryEvent = NonNullable<
  Awaited<ReturnType<Awaited<ReturnType<typeof env.start>>['fetchHistory']>>['events']
>[number];

/** Each local activity's type and attempt, from the bookkeeping its marker carries. */
function localActivities(events: readonly HistoryEvent[]): Array<{ type: string; attempt: number }> {
  return events.flatMap((e) => {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== 'core_local_activity') return [];
    const data = m.details?.data?.payloads?.[0]?.data;
    const parsed = JSON.parse(Buffer.from(data!).toString()) as { activity_type: string; attempt: number };
    return [{ type: parsed.activity_type, attempt: parsed.attempt }];
  });
}

const { fake, env } = await startClaudeTickEnv({ apiKey: 'sk-ant-test-round' });

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
  const faults = failFirstAttemptOf('toolu_local_b');
  try {
    fake.push(
      toolTurn(
        toolUse('toolu_local_a', 'todo_create', { title: 'local retry a' }),
        toolUse('toolu_local_b', 'todo_create', { title: 'local retry b' }),
      ),
      endTurn(),
      ratingTurn({ todos: 4 }),
    );
    const handle = await env.start();
    assert.equal((await handle.result()).status, 'completed');
    const calls = localActivities((await handle.fetchHistory()).events ?? []).filter(
      (l) => l.type === 'callTool',
    );
    assert.deepEqual(
      calls.map((c) => c.attempt).sort(),
      [1, 2],
      'two local callTool activities, the failed one completed on its second attempt',
    );
    assert.equal(faults.attemptsOf('toolu_local_a'), 1, 'the call that completed was not sent again');
    assert.equal(faults.attemptsOf('toolu_local_b'), 2);
    await assertWrittenOnce(handle, ['toolu_local_a', 'toolu_local_b'], ['local retry a', 'local retry b']);
  } finally {
    faults.restore();
  }
});

test('between the patches (one callTools activity per round): the round is repeated, the completed call is written once', async () => {
  const faults = failFirstAttemptOf('toolu_round_b');
  try {
    fake.push(
      toolTurn(
        toolUse('toolu_round_a', 'todo_create', { title: 'round retry a' }),
        toolUse('toolu_round_b', 'todo_create', { title: 'round retry b' }),
      ),
      endTurn(),
      ratingTurn({ todos: 4 }),
    );
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
    assert.equal(faults.attemptsOf('toolu_round_a'), 2, 'the completed call was sent again');
    await assertWrittenOnce(handle, ['toolu_round_a', 'toolu_round_b'], ['round retry a', 'round retry b']);
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
  const shape = async (input: { beforeRoundsPatch?: boolean; beforeLocalSteps?: boolean }) => {
    script();
    const handle = await env.start(input);
    assert.equal((await handle.result()).status, 'completed');
    const events = (await handle.fetchHistory()).events ?? [];
    return {
      activities: events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
      markers: events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []),
      local: localActivities(events).map((l) => l.type),
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
  const now = await shape({});
  assert.deepEqual(now.activities, ['modelCall', 'modelCall', 'rate']);
  assert.deepEqual(now.local, ['login', 'callTool', 'callTool', 'persistTick']);
});
