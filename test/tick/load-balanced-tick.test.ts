// Issue 23: a tick through a plain round-robin load balancer in front of two gateways — each request
// to the next instance, no sticky sessions — and one instance killed mid-tick.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PersonaSessions } from '../../activities/mcp/persona-sessions.ts';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { startRoundRobinProxy } from '../../lib/net/round-robin-proxy.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { startSecondGateway } from '../support/second-gateway.ts';
import { TEST_SEED_SECRET } from '../support/secrets.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';

// The worker's sessions read the gateway address on every connect: the balancer's, which starts
// once both gateways have.
let balancerUrl = '';
const sessions = new PersonaSessions({
  gatewayUrl: { toString: () => balancerUrl } as unknown as string,
  credentials: async () => ({
    email: DEFAULT_PERSONA.email,
    password: derivePersonaPassword(TEST_SEED_SECRET, DEFAULT_PERSONA.email),
  }),
});
const { fake, env } = await startClaudeTickEnv({ overrides: { sessions } });
const second = await startSecondGateway(env.gw);
const balancer = await startRoundRobinProxy([env.gw.url, second.gw.url]);
after(() => balancer.close());
balancerUrl = balancer.url;

const actionsOf = (id: string) =>
  env.query<{ tool_use_id: string; outcome: string; error_class: string | null }>(
    'SELECT tool_use_id, outcome, error_class FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [id],
  );
const toolCalls = async (url: string) => sampleValue(await scrapeMetrics(url), 'gateway_tool_calls_total');
const restored = async (url: string) => sampleValue(await scrapeMetrics(url), 'gateway_sessions_restored_total');

test("a tick's calls go to both instances in turn, on one session, and all succeed", async () => {
  fake.push(
    toolTurn(toolUse('toolu_1', 'todo_create', { title: 'lb one' }), toolUse('toolu_2', 'todo_list', {})),
    toolTurn(toolUse('toolu_3', 'todo_create', { title: 'lb two' }), toolUse('toolu_4', 'note_create', { title: 'lb', body: 'x' })),
    toolTurn(toolUse('toolu_5', 'todo_list', {}), toolUse('toolu_6', 'todo_create', { title: 'lb three' })),
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'fine' }, notes: { rating: 4, notes: 'fine' } }),
  );
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  const actions = await actionsOf(handle.workflowId);
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
    ['toolu_1', 'toolu_2', 'toolu_3', 'toolu_4', 'toolu_5', 'toolu_6'].map((id) => [id, 'ok', null]),
  );
  const [onA, onB] = [await toolCalls(env.gw.url), await toolCalls(second.gw.url)];
  assert.ok(onA > 0 && onB > 0, `both instances served tool calls (A ${onA}, B ${onB})`);
  assert.equal(onA + onB, 6, 'each call ran once');
  // The balancer sent every request to the next instance: the session opened on one was rebuilt on the other.
  assert.ok(balancer.served[0]! > 0 && balancer.served[1]! > 0);
  assert.ok((await restored(env.gw.url)) + (await restored(second.gw.url)) >= 1);
});

test('one instance killed mid-tick: the tick completes on the other, no error actions', async () => {
  const killed = gate();
  fake.push(
    toolTurn(toolUse('toolu_k1', 'todo_create', { title: 'before the kill' }), toolUse('toolu_k2', 'todo_list', {})),
    // Held until the second instance is gone: the rest of the day runs on what is left.
    { ...toolTurn(toolUse('toolu_k3', 'todo_create', { title: 'after the kill' }), toolUse('toolu_k4', 'todo_list', {})), until: killed.promise },
    toolTurn(toolUse('toolu_k5', 'note_create', { title: 'still here', body: 'yes' })),
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'fine' }, notes: { rating: 4, notes: 'fine' } }),
  );
  const before = fake.requests.length;
  const handle = await env.start();
  await waitUntil(() => fake.requests.length >= before + 2, 'the second model call is in flight');
  await second.kill();
  killed.open();
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  const actions = await actionsOf(handle.workflowId);
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.outcome, a.error_class]),
    ['toolu_k1', 'toolu_k2', 'toolu_k3', 'toolu_k4', 'toolu_k5'].map((id) => [id, 'ok', null]),
  );
  for (const title of ['before the kill', 'after the kill'])
    assert.equal(await env.count('SELECT count(*)::int AS n FROM todos WHERE title = $1', [title]), 1, title);
});
