// Issue 8 item 9: login and signup cannot be brute-forced, used to enumerate accounts, or used by
// anyone to create accounts unless the operator opened signup.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KdfBusyError, KdfGate } from '../../mcp-gateway/identity/kdf-gate.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('signup', () => {
  test('is closed by default: 403 saying how to open it, nothing written', async () => {
    const gw = await startTestGateway();
    const before = await gw.count('users');
    const res = await post(gw.url, '/auth/signup', { email: 'new@example.com', password: 'a good password' });
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'signup_closed');
    assert.match(body.error_description, /AUTH_OPEN_SIGNUP=true/);
    assert.equal(await gw.count('users'), before);
  });

  test('opened, it does not tell a taken email from a free one', async () => {
    const gw = await startTestGateway({ AUTH_OPEN_SIGNUP: 'true' });
    await gw.tokenFor({ email: 'taken@example.com', password: 'the owner password' });
    const fresh = await post(gw.url, '/auth/signup', {
      email: 'free@example.com',
      password: 'some password',
    });
    const taken = await post(gw.url, '/auth/signup', {
      email: 'taken@example.com',
      password: 'some password',
    });
    assert.equal(taken.status, fresh.status);
    assert.deepEqual(await taken.json(), await fresh.json());
    // …and the taken account is untouched: its owner's password still logs in, the other does not.
    const owner = await post(gw.url, '/auth/login', {
      email: 'taken@example.com',
      password: 'the owner password',
    });
    assert.equal(owner.status, 200);
    const intruder = await post(gw.url, '/auth/login', {
      email: 'taken@example.com',
      password: 'some password',
    });
    assert.equal(intruder.status, 401);
  });
});

describe('login', () => {
  test('after N failures for an account: 429 with Retry-After, even for the right password', async () => {
    const gw = await startTestGateway({
      AUTH_LOGIN_FAILURES_PER_ACCOUNT: '3',
      AUTH_LOGIN_FAILURES_PER_IP: '100',
    });
    await gw.tokenFor({ email: 'victim@example.com', password: 'the right password' });
    for (let i = 0; i < 3; i++) {
      const r = await post(gw.url, '/auth/login', {
        email: 'victim@example.com',
        password: `wrong ${i} password`,
      });
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const locked = await post(gw.url, '/auth/login', {
      email: 'victim@example.com',
      password: 'the right password',
    });
    assert.equal(locked.status, 429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.equal(((await locked.json()) as { error: string }).error, 'too_many_attempts');
    // Another account is not locked by it.
    await gw.tokenFor({ email: 'other@example.com', password: 'the right password' });
    assert.equal(
      (await post(gw.url, '/auth/login', { email: 'other@example.com', password: 'the right password' }))
        .status,
      200,
    );
  });

  test('after N failures from one IP across accounts: 429, and an unknown email locks the same way', async () => {
    const gw = await startTestGateway({
      AUTH_LOGIN_FAILURES_PER_ACCOUNT: '100',
      AUTH_LOGIN_FAILURES_PER_IP: '4',
    });
    for (let i = 0; i < 4; i++) {
      const r = await post(gw.url, '/auth/login', {
        email: `guess${i}@example.com`,
        password: 'a guessed password',
      });
      assert.equal(r.status, 401);
    }
    const res = await post(gw.url, '/auth/login', {
      email: 'guess9@example.com',
      password: 'a guessed password',
    });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
  });

  test('unknown email and wrong password: identical status and body, and the unknown one runs the dummy KDF', async () => {
    const gw = await startTestGateway();
    await gw.tokenFor({ email: 'known@example.com', password: 'the right password' });
    const dummyBefore = sampleValue(await scrapeMetrics(gw.url), 'gateway_password_checks_total', {
      kind: 'dummy',
    });
    const wrong = await post(gw.url, '/auth/login', {
      email: 'known@example.com',
      password: 'a wrong password',
    });
    const unknown = await post(gw.url, '/auth/login', {
      email: 'unknown@example.com',
      password: 'a wrong password',
    });
    assert.equal(unknown.status, wrong.status);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await unknown.json(), await wrong.json());
    const metrics = await scrapeMetrics(gw.url);
    assert.equal(sampleValue(metrics, 'gateway_password_checks_total', { kind: 'dummy' }), dummyBefore + 1);
    assert.ok(sampleValue(metrics, 'gateway_password_checks_total', { kind: 'real' }) >= 1);
  });
});

describe('KDF concurrency is bounded', () => {
  test('64 parallel hashes run at most `concurrency` at once; beyond the queue they are refused at once', async () => {
    const gate = new KdfGate(2, 100);
    let running = 0;
    let peak = 0;
    const work = () =>
      gate.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setImmediate(r));
        running--;
      });
    await Promise.all(Array.from({ length: 64 }, work));
    assert.equal(peak, 2);

    const small = new KdfGate(1, 2);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => small.run(() => new Promise((r) => setImmediate(r)))),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected'],
    );
    assert.ok((results[4] as PromiseRejectedResult).reason instanceof KdfBusyError);
  });

  test('parallel bad logins beyond the queue get 503 + Retry-After instead of piling up', async () => {
    const gw = await startTestGateway({
      AUTH_KDF_CONCURRENCY: '1',
      AUTH_KDF_QUEUE: '1',
      AUTH_LOGIN_FAILURES_PER_IP: '1000',
    });
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        post(gw.url, '/auth/login', { email: `p${i}@example.com`, password: 'a wrong password' }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.includes(503), `statuses ${statuses.join(',')}`);
    assert.ok(statuses.every((s) => s === 401 || s === 503));
    const refused = answers.find((r) => r.status === 503)!;
    assert.equal(refused.headers.get('retry-after'), '1');
  });
});
