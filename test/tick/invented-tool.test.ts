import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';

test('a tool name the model invented is the persona’s error, answered by the gateway, not retried as infra', async () => {
  const { fake, env } = await startClaudeTickEnv({
    apiKey: 'sk-ant-test-invented',
    script: [
      toolTurn(
        toolUse('toolu_invented', 'todo_destroy_all', { really: true }),
        toolUse('toolu_real', 'todo_create', { title: 'A real one' }),
      ),
      endTurn(),
      ratingTurn({ todos: 4 }),
    ],
  });
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(fake.exhausted, false);
  assert.equal(result.status, 'completed');
  const actions = await env.query<{
    tool_use_id: string;
    outcome: string;
    error_class: string | null;
    result_summary: string;
  }>(
    'SELECT tool_use_id, outcome, error_class, result_summary FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [handle.workflowId],
  );
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
    [
      ['toolu_invented', 'error', 'persona'],
      ['toolu_real', 'ok', null],
    ],
  );
  assert.match(actions[0]!.result_summary, /unknown tool "todo_destroy_all"/);
  // The model is told, under its tool_use_id, so it can correct itself.
  const results = fake.requests[1]!.body.messages.at(-1)!.content as Array<{
    tool_use_id: string;
    content: string;
  }>;
  assert.match(results.find((r) => r.tool_use_id === 'toolu_invented')!.content, /tools\/list/);
  const history = await handle.fetchHistory();
  assert.equal(
    history.events?.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1),
    false,
    'no activity was retried',
  );
});
