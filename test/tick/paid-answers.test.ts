import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { type FakeStep } from '../support/fake-messages-api.ts';
import { startProxiedTickEnv } from '../support/proxied-tick-env.ts';

// Postgres (behind a TCP proxy this test cuts) goes away while a model answer is on its way: storing
// the answer fails for a few seconds. The activity retries its own write, so the model is asked once
// per turn — a database blip never bills a model call twice.
const { fake, env, pg } = await startProxiedTickEnv({ postgresProxy: true });

/** Cuts Postgres just before the step's answer leaves the fake API, and restores it 5 s later. */
function duringOutage(step: FakeStep): FakeStep {
  pg!.cut();
  setTimeout(() => pg!.restore(), 5000);
  return step;
}

test(
  'transcript writes failing for 5 s: each turn asks the model exactly once',
  { timeout: 180_000 },
  async () => {
    const before = fake.requests.length;
    fake.push(
      () => duringOutage(toolTurn(toolUse('toolu_m1', 'todo_create', { title: 'paid once' }))),
      endTurn(),
      () => duringOutage(ratingTurn({ todos: { rating: 5, notes: 'worth it' } })),
    );
    const handle = await env.start();
    const result = await handle.result();

    assert.equal(result.status, 'completed');
    assert.equal(fake.exhausted, false, 'a model call was repeated');
    assert.equal(fake.requests.length - before, 3, 'one request per turn: main ×2, rating ×1');
    const [feedback] = await env.query<{ rating: number }>(
      'SELECT rating FROM persona_feedback WHERE tick_id = $1',
      [handle.workflowId],
    );
    assert.equal(feedback?.rating, 5);
    assert.equal(await env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', ['paid once']), 1);
  },
);
