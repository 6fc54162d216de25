import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';
import { startTickEnv } from '../support/tick-env.ts';

// The offline persona on a federated product (server-memory over stdio) with one of its tools failed
// by the gateway (GATEWAY_FAULTS, by its listed name; relations, which it makes on some days only,
// once it has entities to relate): it rates the module from what the product did
// to it — the injected failures, and server-memory's own, classed `product` by the gateway, whatever
// their words. The persona refers only to entities the product showed it, so server-memory fails in
// its own words on data an older writer left: an entity stored without `observations` (server-memory
// answers a search or an observation for it with a TypeError).
const FAILING = 'memory__create_relations';
const dir = await scratchDir();
await fs.writeFile(
  path.join(dir, 'memory.jsonl'),
  `${JSON.stringify({ type: 'entity', name: 'Legacy Project', entityType: 'project' })}\n`,
);
const products = await writeProducts(dir, {
  builtin: false,
  products: [memoryProduct(path.join(dir, 'memory.jsonl'))],
});
const env = await startTickEnv({
  gatewayEnv: { PERSONA_PRODUCTS: products, GATEWAY_FAULTS: JSON.stringify({ [FAILING]: { errorRate: 1 } }) },
  persona: {
    systemPrompt: 'You are Sam, who keeps a knowledge graph of people and projects.',
    moduleMix: { memory: 1 },
  },
});

test(`${FAILING} failing: the scripted persona rates memory ≤ 2★ whenever the product failed it`, async () => {
  const ticks: Array<{ failed: string[]; rating: number }> = [];
  // Fixed tick ids: the scripted persona's day derives from them, so these days are always lived.
  for (let i = 0; i < 6; i++) {
    const h = await env.start({}, `federated-rating-${i}`);
    assert.equal((await h.result()).status, 'completed');
    const failed = await env.query<{ tool_name: string }>(
      "SELECT tool_name FROM persona_actions WHERE tick_id = $1 AND error_class = 'product'",
      [h.workflowId],
    );
    const [rated] = await env.query<{ rating: number }>(
      "SELECT rating FROM persona_feedback WHERE tick_id = $1 AND module = 'memory'",
      [h.workflowId],
    );
    assert.ok(rated, `tick ${i} rated memory`);
    ticks.push({ failed: failed.map((f) => f.tool_name), rating: rated.rating });
  }
  const summary = JSON.stringify(ticks);
  for (const t of ticks) if (t.failed.length) assert.ok(t.rating <= 2, summary);
  // The days cover both kinds of failure (test/unit/scripted-rating.test.ts shows good days rate higher).
  assert.ok(
    ticks.some((t) => t.failed.includes(FAILING)),
    `an injected failure: ${summary}`,
  );
  assert.ok(
    ticks.some((t) => t.failed.length && !t.failed.includes(FAILING)),
    `only server-memory's own failures: ${summary}`,
  );
});
