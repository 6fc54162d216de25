// A round's tool calls run as one activity (callTools, since the `tick-rounds` patch). When one call
// fails retryably, Temporal repeats the whole round: the call that had completed is sent again with
// the same idempotency key and the gateway answers it from its record, so the product is written once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnthropicProvider } from '../../activities/llm/anthropic-provider.ts';
import {
  endTurn,
  ratingTurn,
  startFakeMessagesApi,
  toolTurn,
  toolUse,
} from '../helpers/fake-messages-api.ts';
import { startTickEnv } from '../helpers/tick-env.ts';

const fake = await startFakeMessagesApi();
const env = await startTickEnv({
  overrides: {
    llm: new AnthropicProvider('claude-sonnet-4-6', { apiKey: 'sk-ant-test-round', baseURL: fake.url }),
  },
});

test('one call of a round fails retryably: the round is repeated, the completed call is written once', async () => {
  const sessions = env.deps.sessions;
  const realCallTool = sessions.callTool.bind(sessions);
  const attempts = new Map<string, number>();
  sessions.callTool = async (personaId, name, args, idempotencyKey) => {
    const n = (attempts.get(idempotencyKey) ?? 0) + 1;
    attempts.set(idempotencyKey, n);
    // The first attempt of the second call finds the gateway unreachable (a failed fetch: infra).
    if (idempotencyKey.endsWith(':toolu_round_b') && n === 1) throw new TypeError('fetch failed');
    return realCallTool(personaId, name, args, idempotencyKey);
  };
  try {
    fake.push(
      toolTurn(
        toolUse('toolu_round_a', 'todo_create', { title: 'round retry a' }),
        toolUse('toolu_round_b', 'todo_create', { title: 'round retry b' }),
      ),
      endTurn(),
      ratingTurn({ todos: 4 }),
    );
    const handle = await env.start();
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
    const key = (id: string) => [...attempts.keys()].find((k) => k.endsWith(`:${id}`))!;
    assert.equal(attempts.get(key('toolu_round_a')), 2, 'the completed call was sent again');

    const actions = await env.query<{ tool_use_id: string; outcome: string; error_class: string | null }>(
      'SELECT tool_use_id, outcome, error_class FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
      [handle.workflowId],
    );
    assert.deepEqual(
      actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
      [
        ['toolu_round_a', 'ok', null],
        ['toolu_round_b', 'ok', null],
      ],
    );
    for (const title of ['round retry a', 'round retry b'])
      assert.equal(
        await env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', [title]),
        1,
        title,
      );
  } finally {
    sessions.callTool = realCallTool;
  }
});

test('the benchmark’s baseline (beforeRoundsPatch) runs as ticks ran before the patch', async () => {
  const script = () =>
    fake.push(
      toolTurn(
        toolUse('toolu_base_a', 'note_create', { title: 'baseline a', body: 'x' }),
        toolUse('toolu_base_b', 'note_create', { title: 'baseline b', body: 'y' }),
      ),
      endTurn(),
      ratingTurn({ notes: 4 }),
    );
  const shape = async (input: { beforeRoundsPatch?: boolean }) => {
    script();
    const handle = await env.start(input);
    assert.equal((await handle.result()).status, 'completed');
    const events = (await handle.fetchHistory()).events ?? [];
    return {
      activities: events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
      markers: events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []),
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
  const after = await shape({});
  assert.deepEqual(after.activities, ['login', 'modelCall', 'callTools', 'modelCall', 'rate']);
  assert.ok(after.markers.includes('core_local_activity'), 'persist ran as a local activity');
});
