import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { restartableGateway } from '../support/restartable-gateway.ts';
import { startProxiedTickEnv } from '../support/proxied-tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';

// Outages longer than the old retry budget (5 attempts, ~8 s): the gateway away for 15 s, Postgres
// (behind a TCP proxy this test cuts, so the shared server keeps running) away for 12 s while a tool
// call is at the gateway. Durable execution rides both out: zero error actions, every write once.
const { fake, env, gatewayProxy, pg } = await startProxiedTickEnv({
  gatewayProxy: true,
  postgresProxy: true,
});
const http = gatewayProxy!;
const gateway = restartableGateway(env.gw);

const actionsOf = (id: string) =>
  env.query<{ tool_use_id: string; outcome: string; error_class: string | null }>(
    'SELECT tool_use_id, outcome, error_class FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [id],
  );
const todoCount = (title: string) =>
  env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', [title]);

test(
  'the gateway down for 15 s during two parallel calls: both complete once, no infra action',
  { timeout: 180_000 },
  async () => {
    const held = gate();
    fake.push(
      {
        ...toolTurn(
          toolUse('toolu_g1', 'todo_create', { title: 'gateway outage 1' }),
          toolUse('toolu_g2', 'todo_create', { title: 'gateway outage 2' }),
        ),
        until: held.promise,
      },
      endTurn(),
      ratingTurn({ todos: { rating: 4, notes: 'slow today' } }),
    );
    const before = fake.requests.length;
    const handle = await env.start();
    await waitUntil(() => fake.requests.length > before, 'the model call is in flight');
    await gateway.stop();
    held.open();
    await sleep(15_000);
    await gateway.start();
    const result = await handle.result();

    assert.equal(result.status, 'completed');
    assert.deepEqual(
      (await actionsOf(handle.workflowId)).map((a) => [a.tool_use_id, a.outcome, a.error_class]),
      [
        ['toolu_g1', 'ok', null],
        ['toolu_g2', 'ok', null],
      ],
    );
    assert.equal(await todoCount('gateway outage 1'), 1);
    assert.equal(await todoCount('gateway outage 2'), 1);
  },
);

test(
  'Postgres away for 12 s while a tool call is at the gateway: retried, written once, no error action',
  { timeout: 180_000 },
  async () => {
    fake.push(
      toolTurn(toolUse('toolu_p1', 'todo_create', { title: 'postgres outage' })),
      endTurn(),
      ratingTurn({ todos: { rating: 4, notes: 'fine' } }),
    );
    const call = http.hold((body) => body.includes('"tools/call"') && body.includes('postgres outage'));
    const handle = await env.start();
    await call.arrived;
    pg!.cut();
    call.release();
    await sleep(12_000);
    pg!.restore();
    const result = await handle.result();

    assert.equal(result.status, 'completed');
    assert.deepEqual(
      (await actionsOf(handle.workflowId)).map((a) => [a.tool_use_id, a.outcome, a.error_class]),
      [['toolu_p1', 'ok', null]],
    );
    assert.equal(await todoCount('postgres outage'), 1);
  },
);
