import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';

// Annotations feed the policy gate: server-memory marks delete_* destructiveHint: true.
const dir = await scratchDir();
const productsFile = await writeProducts(dir, { products: [memoryProduct(path.join(dir, 'm.jsonl'))] });
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile, POLICY_MODE: 'enforce' });

test('destructiveHint needs the destructive opt-in under enforce; readOnlyHint is a read', async () => {
  const careful = await gw.client((await gw.tokenFor({ email: 'careful@example.com' })).token);
  const bold = await gw.client(
    (await gw.tokenFor({ email: 'bold@example.com', destructiveOptIn: true })).token,
  );
  const { tools } = await careful.listTools();
  assert.equal(tools.find((t) => t.name === 'memory__delete_entities')?._meta?.policyHint, 'destructive');

  const denied = await careful.callTool({
    name: 'memory__delete_entities',
    arguments: { entityNames: ['x'] },
  });
  assert.equal(denied._meta?.errorClass, 'policy');
  assert.equal(denied._meta?.errorCode, 'POLICY_DESTRUCTIVE_NOT_OPTED_IN');
  assert.match(textOf(denied), /memory__delete_entities is destructive/);

  const allowed = await bold.callTool({ name: 'memory__delete_entities', arguments: { entityNames: ['x'] } });
  assert.equal(allowed.isError, undefined, textOf(allowed));
  const read = await careful.callTool({ name: 'memory__read_graph', arguments: {} });
  assert.equal(read.isError, undefined, textOf(read));

  const metrics = await scrapeMetrics(gw.url);
  assert.equal(
    sampleValue(metrics, 'gateway_policy_decisions_total', {
      decision: 'deny',
      reason: 'destructive-not-opted-in',
      mode: 'enforce',
    }),
    1,
  );
});
