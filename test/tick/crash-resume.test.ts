import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestFakeMessagesApi, type RecordedRequest } from '../support/fake-messages-api.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { isRatingRequest } from '../support/fake-messages-api.ts';
import { spawnWorker } from '../support/cli.ts';
import { startTickEnv } from '../support/tick-env.ts';

const ROUNDS = 6;

/** Answers by the conversation's own state, so a retried model call gets the same answer. */
function answer(req: RecordedRequest) {
  if (isRatingRequest(req)) return ratingTurn({ todos: { rating: 4, notes: 'survived a crash' } });
  const round = req.body.messages.filter((m) => m.role === 'assistant').length;
  if (round >= ROUNDS) return endTurn();
  return {
    ...toolTurn(
      toolUse(`toolu_r${round}_a`, 'todo_create', { title: `Task ${round}a` }),
      toolUse(`toolu_r${round}_b`, 'todo_create', { title: `Task ${round}b` }),
    ),
    delayMs: 400,
  };
}

test(
  'a worker SIGKILLed mid main turn resumes: tick completes, no duplicate actions or todos',
  { timeout: 360_000 },
  async () => {
    const fake = await startTestFakeMessagesApi(Array.from({ length: 40 }, () => answer));
    const env = await startTickEnv({ noWorker: true });
    const workerEnv = {
      DATABASE_URL: env.gw.database.url,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      GATEWAY_URL: env.gw.url,
      LLM_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-test-crash',
      ANTHROPIC_BASE_URL: fake.url,
    };
    const first = await spawnWorker(workerEnv);
    const handle = await env.start();

    // Kill once the tick is well into its main turn (some rounds stored, not all). The child worker
    // bundles the workflow code first, which takes a while on a loaded machine: wait up to 3 minutes.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const n = await env.count(
        "SELECT count(*)::int AS n FROM persona_transcript WHERE tick_id = $1 AND part = 'assistant'",
        [handle.workflowId],
      );
      if (n >= 2) break;
      assert.ok(Date.now() < deadline, `tick made no progress in 3 min; worker output:\n${first.output()}`);
      await sleep(100);
    }
    await first.kill('SIGKILL');
    const todosAtKill = await env.count('SELECT count(*)::int AS n FROM todos');
    assert.ok(todosAtKill < ROUNDS * 2, 'the kill happened before the main turn finished');

    const second = await spawnWorker(workerEnv);
    const result = await handle.result();
    assert.equal(result.status, 'completed', second.output());
    assert.equal(result.actions, ROUNDS * 2);

    const actions = await env.query<{ id: string; outcome: string; tool_use_id: string }>(
      'SELECT id, outcome, tool_use_id FROM persona_actions WHERE tick_id = $1',
      [handle.workflowId],
    );
    assert.equal(actions.length, ROUNDS * 2);
    assert.equal(new Set(actions.map((a) => a.tool_use_id)).size, ROUNDS * 2, 'each tool_use recorded once');
    const okCreates = actions.filter((a) => a.outcome === 'ok').length;
    const todos = await env.count('SELECT count(*)::int AS n FROM todos');
    assert.equal(todos, okCreates, 'todos in the product = successful todo_create actions');
    assert.equal(todos, ROUNDS * 2);
  },
);
