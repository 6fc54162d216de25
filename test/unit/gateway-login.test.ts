// How a persona's login classifies the gateway's answers (activities/mcp/gateway-auth.ts): a refusal of
// the request itself fails at once; throttling and server trouble are retried.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { loginViaGateway } from '../../activities/mcp/gateway-auth.ts';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';

let answer = { status: 200, body: {} as unknown };
const server = createServer((_req, res) => {
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => server.close());
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function failureFor(status: number, body: unknown = {}): Promise<ApplicationFailure> {
  answer = { status, body };
  const err = await loginViaGateway(url, 'p@personas.test', 'derived-password').then(
    () => assert.fail('login succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApplicationFailure);
  return err;
}

test('400 (the request is invalid) fails at once, with the gateway reason and no password', async () => {
  const f = await failureFor(400, {
    error: 'invalid_request',
    error_description: 'email: expected an email address',
  });
  assert.equal(f.nonRetryable, true);
  assert.equal(f.type, TICK_FAILURES.loginRefused.type);
  assert.match(f.message, /400: email: expected an email address/);
  assert.doesNotMatch(f.message, /derived-password/);
});

test('429 and 503 are retried as the gateway being unavailable', async () => {
  for (const status of [429, 503]) {
    const f = await failureFor(status);
    assert.equal(f.nonRetryable, false, String(status));
    assert.equal(f.type, TICK_FAILURES.gatewayUnavailable.type);
  }
});

test('a successful login returns the token', async () => {
  answer = { status: 200, body: { access_token: 'tok', expires_in: 60 } };
  const got = await loginViaGateway(url, 'p@personas.test', 'derived-password');
  assert.equal(got.token, 'tok');
});
