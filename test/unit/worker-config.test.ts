import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError } from '../../lib/config/env.ts';
import { DEFAULT_PRICES } from '../../activities/llm/prices.ts';
import { loadWorkerConfig } from '../../workers/config.ts';

/** Asserts loadWorkerConfig(env) throws a ConfigError whose message matches every pattern. */
function assertConfigError(env: Record<string, string>, ...patterns: RegExp[]): ConfigError {
  let caught: unknown;
  assert.throws(
    () => loadWorkerConfig(env),
    (err: unknown) => ((caught = err), err instanceof ConfigError),
  );
  for (const p of patterns) assert.match((caught as ConfigError).message, p);
  return caught as ConfigError;
}

test('LLM_PROVIDER auto: scripted without an API key (offline default), anthropic with one', () => {
  assert.equal(loadWorkerConfig({}).llm.provider, 'scripted');
  assert.equal(loadWorkerConfig({ LLM_PROVIDER: 'auto', ANTHROPIC_API_KEY: '' }).llm.provider, 'scripted');
  const withKey = loadWorkerConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' });
  assert.equal(withKey.llm.provider, 'anthropic');
  assert.equal(withKey.llm.model, 'claude-sonnet-4-6');
  assert.equal(
    loadWorkerConfig({ LLM_PROVIDER: 'scripted', ANTHROPIC_API_KEY: 'sk-ant-x' }).llm.provider,
    'scripted',
  );
});

test('LLM_PROVIDER=anthropic without a key is a ConfigError naming ANTHROPIC_API_KEY', () => {
  assertConfigError({ LLM_PROVIDER: 'anthropic' }, /ANTHROPIC_API_KEY/);
  assertConfigError({ LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: '   ' }, /ANTHROPIC_API_KEY/);
  assertConfigError({ LLM_PROVIDER: 'claude' }, /LLM_PROVIDER/, /auto \| anthropic \| scripted/);
});

test('LLM_PRICES_JSON: bad JSON or a bad shape is a ConfigError; a good table extends the defaults', () => {
  assertConfigError({ LLM_PRICES_JSON: '{not json' }, /LLM_PRICES_JSON/);
  assertConfigError({ LLM_PRICES_JSON: '{"my-model":{"input":1}}' }, /LLM_PRICES_JSON/);
  assertConfigError(
    { LLM_PRICES_JSON: '{"my-model":{"input":-1,"output":1,"cacheWrite":1,"cacheRead":1}}' },
    /LLM_PRICES_JSON/,
  );
  const custom = { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 };
  const prices = loadWorkerConfig({ LLM_PRICES_JSON: JSON.stringify({ 'my-model': custom }) }).llm.prices;
  assert.deepEqual(prices['my-model'], custom);
  assert.deepEqual(prices['claude-sonnet-4-5'], DEFAULT_PRICES['claude-sonnet-4-5']);
});

test('GATEWAY_URL must be a URL; a trailing slash is dropped', () => {
  assertConfigError({ GATEWAY_URL: 'localhost without scheme' }, /GATEWAY_URL/, /gateway base URL/);
  assert.equal(
    loadWorkerConfig({ GATEWAY_URL: 'http://gw.internal:3069/' }).gatewayUrl,
    'http://gw.internal:3069',
  );
  assert.equal(loadWorkerConfig({}).gatewayUrl, 'http://localhost:3069');
});

test('PAYLOAD_CODEC_KEY must be 32 bytes of base64, and a bad one is not echoed back', () => {
  const key = randomBytes(32);
  assert.deepEqual(loadWorkerConfig({ PAYLOAD_CODEC_KEY: key.toString('base64') }).payloadCodecKey, key);
  assert.equal(loadWorkerConfig({}).payloadCodecKey, undefined);
  const short = randomBytes(16).toString('base64');
  const err = assertConfigError({ PAYLOAD_CODEC_KEY: short }, /PAYLOAD_CODEC_KEY/, /32 bytes/);
  assert.equal(err.message.includes(short), false);
});

test('VAULT_KEK (the worker seals transcripts with keys it unwraps) must be 32 bytes of base64, not echoed', () => {
  const kek = randomBytes(32);
  assert.deepEqual(loadWorkerConfig({ VAULT_KEK: kek.toString('base64') }).vaultKek, kek);
  assert.equal(loadWorkerConfig({ VAULT_KEK: '' }).vaultKek, undefined);
  const short = randomBytes(20).toString('base64');
  const err = assertConfigError({ VAULT_KEK: short }, /VAULT_KEK/, /32 bytes/);
  assert.equal(err.message.includes(short), false);
});

test('TRANSCRIPT_RETENTION_DAYS (default 30) and TRANSCRIPT_PURGE_BATCH_SIZE (default 1000) are bounded whole numbers', () => {
  assert.deepEqual(loadWorkerConfig({}).retention, { retentionDays: 30, batchSize: 1000 });
  assert.deepEqual(
    loadWorkerConfig({ TRANSCRIPT_RETENTION_DAYS: '7', TRANSCRIPT_PURGE_BATCH_SIZE: '50' }).retention,
    { retentionDays: 7, batchSize: 50 },
  );
  for (const bad of ['0', '-1', '1.5', 'thirty', '3651'])
    assertConfigError(
      { TRANSCRIPT_RETENTION_DAYS: bad },
      /TRANSCRIPT_RETENTION_DAYS/,
      /whole number of days from 1 to 3650/,
    );
  for (const bad of ['0', '10001', '2.5'])
    assertConfigError({ TRANSCRIPT_PURGE_BATCH_SIZE: bad }, /TRANSCRIPT_PURGE_BATCH_SIZE/, /from 1 to 10000/);
});

test('every problem is reported at once', () => {
  assertConfigError(
    { GATEWAY_URL: 'nope', LLM_PRICES_JSON: 'nope', WORKER_METRICS_PORT: '99999' },
    /GATEWAY_URL/,
    /LLM_PRICES_JSON/,
    /WORKER_METRICS_PORT/,
  );
});
