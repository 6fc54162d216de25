import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../lib/config/env.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { createFaultInjector } from '../../mcp-gateway/faults.ts';
import { createGatewayMetrics } from '../../mcp-gateway/metrics.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { structuredOf, textOf } from '../support/tool-results.ts';

function configError(env: Record<string, string>): string {
  try {
    loadGatewayConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('GATEWAY_FAULTS configuration', () => {
  test('off unless set; a valid value is parsed with defaults', () => {
    assert.equal(loadGatewayConfig({}).faults, undefined);
    assert.deepEqual(
      loadGatewayConfig({
        GATEWAY_FAULTS: '{"todo_complete":{"errorRate":1},"note_search":{"latencyMs":50}}',
      }).faults,
      {
        todo_complete: { errorRate: 1, latencyMs: 0, dropFields: [] },
        note_search: { errorRate: 0, latencyMs: 50, dropFields: [] },
      },
    );
  });

  test('bad values are refused with the variable, tool and field named', () => {
    assert.match(configError({ GATEWAY_FAULTS: '{todo' }), /GATEWAY_FAULTS \("\{todo"\): not JSON/);
    assert.match(
      configError({ GATEWAY_FAULTS: '[1]' }),
      /GATEWAY_FAULTS .*: expected a JSON object: tool name →/,
    );
    assert.match(
      configError({ GATEWAY_FAULTS: '{"todo_complete":{"errorRate":2}}' }),
      /GATEWAY_FAULTS .*: todo_complete\.errorRate: .*1/,
    );
    assert.match(
      configError({ GATEWAY_FAULTS: '{"todo_complete":{"latencyMs":-5}}' }),
      /todo_complete\.latencyMs: /,
    );
    assert.match(
      configError({ GATEWAY_FAULTS: '{"todo_complete":{"errorrate":1}}' }),
      /todo_complete: .*errorrate/,
    );
  });

  test('refused in production unless explicitly allowed', () => {
    const faults = '{"todo_complete":{"errorRate":1}}';
    const prod = { NODE_ENV: 'production', VAULT_KEK: Buffer.alloc(32, 7).toString('base64') };
    assert.match(
      configError({ ...prod, GATEWAY_FAULTS: faults }),
      /GATEWAY_FAULTS: injected faults are refused in production.*GATEWAY_FAULTS_ALLOW_PRODUCTION=1/,
    );
    assert.ok(
      loadGatewayConfig({ ...prod, GATEWAY_FAULTS: faults, GATEWAY_FAULTS_ALLOW_PRODUCTION: '1' }).faults,
    );
  });

  test('an error rate fails that share of calls (random source injected)', async () => {
    const draws = [0.1, 0.5, 0.29, 0.9];
    const injector = createFaultInjector({ t: { errorRate: 0.3, latencyMs: 0, dropFields: [] } }, () =>
      draws.shift()!,
    );
    const outcomes = [];
    for (let i = 0; i < 4; i++)
      outcomes.push((await injector.inject('t', createGatewayMetrics())) ? 'fail' : 'ok');
    assert.deepEqual(outcomes, ['fail', 'ok', 'fail', 'ok']);
    assert.equal(await injector.inject('other', createGatewayMetrics()), undefined);
  });
});

describe('a gateway with GATEWAY_FAULTS', async () => {
  const gw = await startTestGateway({
    GATEWAY_FAULTS: '{"todo_complete":{"errorRate":1},"todo_list":{"latencyMs":20}}',
  });
  const me = await gw.tokenFor({ email: 'faults@example.com' });
  const client = await gw.client(me.token);

  test('answers the faulty tool with a product-class failure, writes nothing, and counts it as injected', async () => {
    const created = structuredOf<{ todo: { id: string } }>(
      await client.callTool({ name: 'todo_create', arguments: { title: 'ship it' } }),
    );
    const res = await client.callTool({ name: 'todo_complete', arguments: { todo_id: created.todo.id } });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'product');
    assert.equal(res._meta?.errorCode, 'INJECTED_FAULT');
    assert.equal(res._meta?.injectedFault, true);
    assert.match(textOf(res), /todo_complete failed inside the product \(injected fault\)/);
    const { rows } = await gw.database.pool.query('SELECT completed_at FROM todos WHERE id = $1', [
      created.todo.id,
    ]);
    assert.equal(rows[0].completed_at, null, 'nothing was written');
    const listed = await client.callTool({ name: 'todo_list', arguments: {} });
    assert.equal(listed.isError, undefined, 'latency only: the call itself succeeds');
    const metrics = await scrapeMetrics(gw.url);
    assert.equal(
      sampleValue(metrics, 'gateway_faults_injected_total', { tool: 'todo_complete', kind: 'error' }),
      1,
    );
    assert.equal(
      sampleValue(metrics, 'gateway_faults_injected_total', { tool: 'todo_list', kind: 'latency' }),
      1,
    );
    assert.equal(
      sampleValue(metrics, 'gateway_tool_calls_total', { tool: 'todo_complete', error_class: 'product' }),
      1,
    );
    assert.equal(sampleValue(metrics, 'gateway_faults_injected_total', { tool: 'todo_create' }), 0);
  });
});
