import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { restartableGateway } from '../support/restartable-gateway.ts';
import { startProxiedTickEnv } from '../support/proxied-tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';

// The worker reaches the gateway through a proxy that can hold a request, so the test decides which
// call is in flight when the gateway restarts — the interleaving that lost calls in the chaos run.
const { fake, env, gatewayProxy } = await startProxiedTickEnv({ gatewayProxy: true });
const proxy = gatewayProxy!;
const gateway = restartableGateway(env.gw);

const actionsOf = (id: string) =>
  env.query<{ tool_use_id: string; outcome: string; error_class: string | null; result_summary: string }>(
    'SELECT tool_use_id, outcome, error_class, result_summary FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [id],
  );
const todoCount = (title: string) =>
  env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', [title]);
const callOf = (title: string) => (body: string) => body.includes('"tools/call"') && body.includes(title);

test('a gateway restart under two parallel calls: both run once on one new session, none blamed on the persona', async () => {
  const restarted = gate();
  fake.push(
    toolTurn(toolUse('toolu_r0', 'todo_create', { title: 'before the restart' })),
    // Held until the test is ready, so both calls go out on the session opened in round 1.
    {
      ...toolTurn(
        toolUse('toolu_ra', 'todo_create', { title: 'parallel A' }),
        toolUse('toolu_rb', 'todo_create', { title: 'parallel B' }),
      ),
      until: restarted.promise,
    },
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'fine' } }),
  );
  // Both calls of round 2 are held in flight on the old session while the gateway restarts; then B
  // reaches the new gateway first (404: session unknown) while A is still waiting for its answer.
  const a = proxy.hold(callOf('parallel A'));
  const b = proxy.hold(callOf('parallel B'));
  const before = fake.requests.length;
  const handle = await env.start();
  await waitUntil(() => fake.requests.length >= before + 2, 'the second model call is in flight');
  restarted.open();
  await Promise.all([a.arrived, b.arrived]);
  await gateway.restart();
  b.release();
  await waitUntil(async () => (await todoCount('parallel B')) === 1, 'B ran on a new session', {
    timeoutMs: 60_000,
  });
  a.release();
  const result = await handle.result();

  assert.equal(result.status, 'completed');
  assert.equal(fake.remaining, 0);
  const actions = await actionsOf(handle.workflowId);
  assert.deepEqual(
    actions.map((x) => [x.tool_use_id, x.outcome, x.error_class]),
    [
      ['toolu_r0', 'ok', null],
      ['toolu_ra', 'ok', null],
      ['toolu_rb', 'ok', null],
    ],
    JSON.stringify(actions),
  );
  // Executed exactly once each (a repeat after the reconnect replays by idempotency key).
  assert.equal(await todoCount('parallel A'), 1);
  assert.equal(await todoCount('parallel B'), 1);
  assert.equal(await todoCount('before the restart'), 1);
});
