import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../support/gateway.ts';
import { childPid, flakyProduct, scratchDir, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';
import { waitUntil } from '../support/wait.ts';
import { UNLIMITED_GATEWAY_ENV } from '../support/gateway.ts';
import { startHostileUpstream } from '../support/hostile-upstream.ts';

// Issue 22: what an upstream sends is bounded in bytes and time. Answers that never end (a JSON body,
// an SSE stream of small events, one SSE event), answers that trickle forever, a stdio line that never
// ends: each call is an `infra` error naming the limit or the timeout, the answer's socket is closed
// (the upstream sees it), the gateway's memory stays bounded, and another user's calls to another
// product are answered promptly throughout.
const hostile = await startHostileUpstream();
after(() => hostile.stop());
const dir = await scratchDir();
const pidFile = path.join(dir, 'flaky.pid');
const CALL_TIMEOUT_S = 3;
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'hostile',
      transport: { type: 'http', url: hostile.url() },
      callTimeoutSeconds: CALL_TIMEOUT_S,
      reconnectMaxSeconds: 0.5,
    },
    { name: 'calm', transport: { type: 'http', url: hostile.url() }, include: ['ok'] },
    flakyProduct(pidFile, { callTimeoutSeconds: CALL_TIMEOUT_S, reconnectMaxSeconds: 0.5 }),
  ],
});
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile, ...UNLIMITED_GATEWAY_ENV });
const attacker = await gw.client((await gw.tokenFor({ email: 'attacked@people.dev' })).token);
const bystander = await gw.client((await gw.tokenFor({ email: 'bystander@people.dev' })).token);
const MiB = 1024 * 1024;

/**
 * Calls `tool` as the attacked user while the bystander calls `calm__ok` in a loop; returns the
 * result, how long it took, the bystander's slowest answer (the one still in flight when the attack
 * ended included) and the gateway's memory growth.
 */
async function underAttack(tool: string) {
  // The bystander's path is warm before the attack, so its first answer measures the attack, not a
  // cold connection on a busy machine.
  assert.equal(textOf(await bystander.callTool({ name: 'calm__ok', arguments: {} })), 'ok');
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  let done = false;
  const bystanderLatencies: number[] = [];
  const loop = (async () => {
    do {
      const t = performance.now();
      // A stalled bystander fails here with a figure instead of hanging the file.
      const res = await bystander.callTool({ name: 'calm__ok', arguments: {} }, undefined, {
        timeout: 10_000,
      });
      bystanderLatencies.push(performance.now() - t);
      assert.equal(textOf(res), 'ok');
      await sleep(20);
    } while (!done);
  })();
  const started = performance.now();
  let outcome: { result: Awaited<ReturnType<typeof attacker.callTool>>; ms: number };
  try {
    const result = await attacker.callTool({ name: tool, arguments: {} });
    outcome = { result, ms: performance.now() - started };
  } finally {
    done = true;
    await loop;
    clearInterval(sampler);
  }
  return {
    ...outcome,
    slowestBystander: Math.max(...bystanderLatencies),
    bystanderCalls: bystanderLatencies.length,
    grewMiB: (peak - before) / MiB,
  };
}

describe('an upstream whose answers never end', () => {
  for (const [tool, code, limit] of [
    ['hostile__flood_json', 'UPSTREAM_TOO_LARGE', /maxMessageBytes \(4 MiB\)/],
    ['hostile__flood_sse', 'UPSTREAM_TOO_LARGE', /maxStreamBytes \(16 MiB\)/],
    ['hostile__giant_event', 'UPSTREAM_TOO_LARGE', /maxMessageBytes \(4 MiB\)/],
    ['hostile__drip_json', 'UPSTREAM_TIMEOUT', /did not answer within 3s/],
    ['hostile__drip_sse', 'UPSTREAM_TIMEOUT', /did not answer within 3s/],
  ] as const) {
    test(`${tool}: infra ${code} within the timeout, the socket closed, memory bounded, others unaffected`, async () => {
      const run = await underAttack(tool);
      assert.equal(run.result.isError, true);
      assert.equal(run.result._meta?.errorClass, 'infra');
      assert.equal(run.result._meta?.errorCode, code, textOf(run.result));
      assert.equal(run.result._meta?.retryable, true);
      assert.match(textOf(run.result), limit);
      assert.ok(run.ms < CALL_TIMEOUT_S * 1000 + 1000, `answered in ${run.ms} ms`);
      // The gateway destroyed the answer: the upstream sees its response closed, not read on.
      await waitUntil(async () => (await hostile.stats()).streaming === 0, 'the answer is cut off', {
        timeoutMs: 2000,
      });
      assert.ok(run.grewMiB < 128, `the gateway grew by ${run.grewMiB.toFixed(0)} MiB`);
      assert.ok(run.slowestBystander < 1000, `a bystander's call took ${run.slowestBystander} ms`);
      // The product still answers (a fresh socket; the session is kept or re-established).
      await waitUntil(
        async () => textOf(await attacker.callTool({ name: 'hostile__ok', arguments: {} })) === 'ok',
        'the product answers again',
      );
    });
  }

  test('a stdio line that never ends: infra UPSTREAM_TOO_LARGE, the child is replaced', async () => {
    const first = await childPid(pidFile);
    const run = await underAttack('flaky__flood');
    assert.equal(run.result._meta?.errorClass, 'infra');
    assert.equal(run.result._meta?.errorCode, 'UPSTREAM_TOO_LARGE', textOf(run.result));
    assert.match(textOf(run.result), /maxMessageBytes \(4 MiB\)/);
    assert.ok(run.slowestBystander < 1000, `a bystander's call took ${run.slowestBystander} ms`);
    assert.ok(run.grewMiB < 128, `the gateway grew by ${run.grewMiB.toFixed(0)} MiB`);
    await waitUntil(
      async () => /pong/.test(textOf(await attacker.callTool({ name: 'flaky__ping', arguments: {} }))),
      'a fresh child answers',
    );
    assert.notEqual(Number(await fs.readFile(pidFile, 'utf8')), first);
  });

  test('a result nested 100,000 deep is a product error, and the gateway goes on', async () => {
    const res = await attacker.callTool({ name: 'hostile__deep_result', arguments: {} });
    assert.equal(res._meta?.errorClass, 'product');
    assert.match(textOf(res), /nests deeper than 128 levels/);
    assert.equal(textOf(await bystander.callTool({ name: 'calm__ok', arguments: {} })), 'ok');
  });
});
