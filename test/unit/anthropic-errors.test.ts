import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { toApplicationFailure } from '../../activities/llm/anthropic-provider.ts';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';

const apiError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  Anthropic.APIError.generate(
    status,
    { type: 'error', error: { type, message } },
    undefined,
    new Headers(headers),
  );

test('429 with retry-after is retryable after the delay the API asked for', () => {
  const f = toApplicationFailure(apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': '7' }));
  assert.equal(f.type, TICK_FAILURES.llmRetryable.type);
  assert.equal(f.nonRetryable, false);
  assert.equal(f.nextRetryDelay, 7000);
  assert.match(f.message, /429/);
});

test('retry-after-ms is preferred, an HTTP date works, and long delays are capped at 2 minutes', () => {
  const ms = toApplicationFailure(
    apiError(429, 'rate_limit_error', 'x', { 'retry-after-ms': '250', 'retry-after': '9' }),
  );
  assert.equal(ms.nextRetryDelay, 250);
  const date = toApplicationFailure(
    apiError(429, 'rate_limit_error', 'x', { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }),
  );
  assert.ok(
    typeof date.nextRetryDelay === 'number' && date.nextRetryDelay > 0 && date.nextRetryDelay <= 60_000,
  );
  assert.equal(
    toApplicationFailure(apiError(429, 'rate_limit_error', 'x', { 'retry-after': '3600' })).nextRetryDelay,
    120_000,
  );
});

test('529 overloaded and 5xx are retryable with Temporal’s own backoff when no retry-after is given', () => {
  for (const status of [529, 500, 503]) {
    const f = toApplicationFailure(apiError(status, 'overloaded_error', 'Overloaded'));
    assert.equal(f.type, TICK_FAILURES.llmRetryable.type, String(status));
    assert.equal(f.nonRetryable, false);
    assert.equal(f.nextRetryDelay, undefined);
    assert.deepEqual(f.details, [{ status }]);
  }
});

test('400 is a non-retryable LlmBadRequest carrying the API’s message', () => {
  const f = toApplicationFailure(apiError(400, 'invalid_request_error', 'messages: roles must alternate'));
  assert.equal(f.type, TICK_FAILURES.llmBadRequest.type);
  assert.equal(f.nonRetryable, true);
  assert.match(f.message, /Messages API 400: .*roles must alternate/);
});

test('401 and 403 are non-retryable LlmAuthError', () => {
  for (const status of [401, 403]) {
    const f = toApplicationFailure(apiError(status, 'authentication_error', 'invalid x-api-key'));
    assert.equal(f.type, TICK_FAILURES.llmAuth.type);
    assert.equal(f.nonRetryable, true);
  }
});

test('connection errors and timeouts are retryable', () => {
  for (const err of [
    new Anthropic.APIConnectionError({ message: 'connect ECONNREFUSED 127.0.0.1:1' }),
    new Anthropic.APIConnectionTimeoutError(),
  ]) {
    const f = toApplicationFailure(err);
    assert.equal(f.type, TICK_FAILURES.llmRetryable.type);
    assert.equal(f.nonRetryable, false);
    assert.match(f.message, /unreachable/);
  }
});
