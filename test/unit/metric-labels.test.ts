// Issue 8 item 16: metric labels come from bounded sets. Persona ids as labels made one time series
// per persona ever seeded; cost and tokens are now labelled by archetype (a fixed vocabulary).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archetypeLabel, createWorkerMetrics } from '../../activities/metrics.ts';
import { BUILTIN_ARCHETYPES } from '../../schema/vocabulary.ts';
import { createGatewayMetrics } from '../../mcp-gateway/metrics.ts';

const UNBOUNDED = /^(persona|persona_id|user|user_id|email|tick|tick_id|workflow_id|session)$/;

test('no worker or gateway metric has a per-persona, per-user or per-tick label', async () => {
  for (const registry of [createWorkerMetrics().registry, createGatewayMetrics().registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      const labels = new Set(metric.values.flatMap((v) => Object.keys(v.labels)));
      const declared =
        (registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] }).labelNames ?? [];
      for (const l of [...labels, ...declared])
        assert.doesNotMatch(l, UNBOUNDED, `${metric.name} has the unbounded label "${l}"`);
    }
  }
});

test('tokens and cost are labelled by archetype, and unknown archetypes collapse to "other"', () => {
  const m = createWorkerMetrics();
  assert.deepEqual((m.cost as unknown as { labelNames: string[] }).labelNames, ['archetype']);
  assert.deepEqual((m.tokens as unknown as { labelNames: string[] }).labelNames, ['archetype', 'kind']);
  for (const a of BUILTIN_ARCHETYPES) assert.equal(archetypeLabel(a), a);
  assert.equal(archetypeLabel('3f1c9a2e-0000-4000-8000-000000000000'), 'other');
  assert.equal(archetypeLabel(undefined), 'other');
});
