import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costUsd, DEFAULT_PRICES, priceFor, type PriceTable } from '../../activities/llm/prices.ts';

test('exact model names win; dated and minor versions match the longest known prefix', () => {
  assert.equal(priceFor(DEFAULT_PRICES, 'claude-opus-4'), DEFAULT_PRICES['claude-opus-4']);
  assert.equal(priceFor(DEFAULT_PRICES, 'claude-sonnet-4-5-20250929'), DEFAULT_PRICES['claude-sonnet-4-5']);
  // claude-opus-4-5-… must not fall back to the (three times dearer) claude-opus-4 price.
  assert.equal(priceFor(DEFAULT_PRICES, 'claude-opus-4-5-20251101'), DEFAULT_PRICES['claude-opus-4-5']);
  assert.equal(priceFor(DEFAULT_PRICES, 'claude-opus-4-1-20250805'), DEFAULT_PRICES['claude-opus-4']);
  assert.equal(priceFor(DEFAULT_PRICES, 'scripted-v1')?.input, 0);
});

test('unknown models have no price and cost nothing', () => {
  assert.equal(priceFor(DEFAULT_PRICES, 'gpt-4o'), undefined);
  assert.equal(priceFor(DEFAULT_PRICES, 'claude'), undefined, 'a prefix of a key is not a match');
  assert.equal(costUsd(undefined, { input: 1e6, output: 1e6, cacheWrite: 0, cacheRead: 0 }), 0);
});

test('cost is tokens × USD per million tokens, per kind', () => {
  const table: PriceTable = { m: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } };
  const price = priceFor(table, 'm-2026');
  assert.equal(costUsd(price, { input: 1_000_000, output: 0, cacheWrite: 0, cacheRead: 0 }), 3);
  assert.equal(costUsd(price, { input: 0, output: 2_000, cacheWrite: 0, cacheRead: 0 }), 0.03);
  const total = costUsd(price, { input: 1_000_000, output: 2_000, cacheWrite: 10_000, cacheRead: 100_000 });
  assert.ok(Math.abs(total - (3 + 0.03 + 0.0375 + 0.03)) < 1e-12, String(total));
  assert.equal(costUsd(price, { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 }), 0);
});
