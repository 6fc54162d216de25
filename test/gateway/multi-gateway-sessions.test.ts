// Issue 23: any gateway instance serves any session, and limits hold across instances — two gateways
// on one database, requests sent to one or the other by hand (a load balancer's worst case).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ConfigError } from '../../lib/config/env.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { adoptSession } from '../../mcp-gateway/mcp/session-adopt.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { openSession, postMcp, toolsListRequest } from '../support/raw-mcp.ts';
import { startSecondGateway } from '../support/second-gateway.ts';

const callRequest = (id: number, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

async function call(gw: TestGateway, token: string, sessionId: string, body: unknown) {
  const res = await postMcp(gw.mcpUrl, body, { token, sessionId });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { result?: Record<string, unknown> }) : {} };
}

const restored = async (gw: TestGateway) =>
  sampleValue(await scrapeMetrics(gw.url), 'gateway_sessions_restored_total');

/** Two instances as a load-balanced deployment runs them: limits shared through Postgres. */
async function pair(extra: Record<string, string> = {}) {
  const env = { GATEWAY_LIMITS_STORE: 'postgres', ...extra };
  const a = await startTestGateway(env);
  const b = (await startSecondGateway(a, env)).gw;
  return { a, b };
}

describe('a session opened on one instance continues on another', async () => {
  const { a, b } = await pair();
  const alice = await a.tokenFor({ email: 'alice@example.com' });

  test('initialize on A, calls on B: B rebuilds the session from Postgres and serves it', async () => {
    const sessionId = await openSession(a.mcpUrl, alice.token);
    const created = await call(b, alice.token, sessionId, callRequest(3, 'todo_create', { title: 'via B' }));
    assert.equal(created.status, 200);
    assert.equal(created.body.result?.isError, undefined, JSON.stringify(created.body));
    assert.equal(await restored(b), 1);
    // Back on A (which still holds it) and again on B (which now holds it too): no more rebuilds.
    const listed = await call(a, alice.token, sessionId, callRequest(4, 'todo_list'));
    assert.match(JSON.stringify(listed.body), /via B/);
    await call(b, alice.token, sessionId, toolsListRequest(5));
    assert.equal(await restored(b), 1);
  });

  test('another user presenting the session id on the instance that does not hold it → 403', async () => {
    const bob = await a.tokenFor({ email: 'bob@example.com' });
    const sessionId = await openSession(a.mcpUrl, alice.token);
    const stolen = await call(b, bob.token, sessionId, toolsListRequest(6));
    assert.equal(stolen.status, 403);
    assert.equal(await call(b, alice.token, sessionId, toolsListRequest(7)).then((r) => r.status), 200);
  });

  test('an id no instance opened → 404 on either', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    assert.equal((await call(b, alice.token, unknown, toolsListRequest(8))).status, 404);
    assert.equal((await call(a, alice.token, unknown, toolsListRequest(9))).status, 404);
  });

  test('DELETE on B ends the session on A too (at its next privilege re-read: tools/list always re-reads)', async () => {
    const sessionId = await openSession(a.mcpUrl, alice.token);
    assert.equal((await call(a, alice.token, sessionId, toolsListRequest(10))).status, 200);
    const del = await fetch(b.mcpUrl, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${alice.token}`, 'Mcp-Session-Id': sessionId },
    });
    assert.equal(del.status, 200);
    assert.equal((await call(a, alice.token, sessionId, toolsListRequest(11))).status, 404);
    assert.equal((await call(b, alice.token, sessionId, toolsListRequest(12))).status, 404);
  });

  test('a gateway restart keeps the sessions: closing an instance leaves the rows for the others', async () => {
    const c = await startSecondGateway(a);
    const sessionId = await openSession(c.gw.mcpUrl, alice.token);
    await c.kill();
    assert.equal((await call(a, alice.token, sessionId, callRequest(13, 'todo_list'))).status, 200);
  });

  test('the session cap counts every instance: the oldest idle session is evicted wherever it lives', async () => {
    const capped = await pair({ GATEWAY_MAX_SESSIONS_PER_USER: '2' });
    const carol = await capped.a.tokenFor({ email: 'carol@example.com' });
    const first = await openSession(capped.a.mcpUrl, carol.token);
    await openSession(capped.b.mcpUrl, carol.token);
    await openSession(capped.b.mcpUrl, carol.token); // the third: the first (on A, idle) goes
    assert.equal((await call(capped.a, carol.token, first, toolsListRequest(14))).status, 404);
    const rows = await capped.a.count(`mcp_sessions WHERE user_id = '${carol.userId}'`);
    assert.equal(rows, 2);
  });
});

describe('limits hold across instances (GATEWAY_LIMITS_STORE=postgres)', () => {
  test("a user's 31st call in a minute is denied whichever instance counts it", async () => {
    const { a, b } = await pair();
    const dan = await a.tokenFor({ email: 'dan@example.com' });
    const sessionId = await openSession(a.mcpUrl, dan.token);
    for (let i = 0; i < 30; i++) {
      const r = await call(i % 2 ? b : a, dan.token, sessionId, callRequest(100 + i, 'todo_list'));
      assert.equal(r.body.result?.isError, undefined, `call ${i + 1}: ${JSON.stringify(r.body)}`);
    }
    for (const gw of [a, b]) {
      const r = await call(gw, dan.token, sessionId, callRequest(200, 'todo_list'));
      assert.equal(r.body.result?.isError, true);
      assert.match(JSON.stringify(r.body), /rate limit for todo_list exceeded \(30 calls per 60s\)/);
    }
  });

  test('with GATEWAY_LIMITS_STORE=memory each instance counts alone (what the shared store prevents)', async () => {
    const { a, b } = await pair({ GATEWAY_LIMITS_STORE: 'memory' });
    const erin = await a.tokenFor({ email: 'erin@example.com' });
    const sessionId = await openSession(a.mcpUrl, erin.token);
    for (let i = 0; i < 31; i++) {
      const r = await call(i % 2 ? b : a, erin.token, sessionId, callRequest(300 + i, 'todo_list'));
      assert.equal(r.body.result?.isError, undefined, `call ${i + 1} allowed per instance`);
    }
  });

  test('login throttling counts failures made on any instance', async () => {
    const { a, b } = await pair({ AUTH_LOGIN_FAILURES_PER_ACCOUNT: '4' });
    await a.tokenFor({ email: 'frank@example.com', password: 'the right password' });
    const login = (gw: TestGateway, password: string) =>
      fetch(`${gw.url}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'frank@example.com', password }),
      });
    for (const gw of [a, b, a, b]) assert.equal((await login(gw, 'a wrong password')).status, 401);
    for (const gw of [a, b]) {
      const res = await login(gw, 'the right password');
      assert.equal(res.status, 429, 'locked on both instances, even for the right password');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    }
  });
});

test('behind a load balancer (GATEWAY_TRUST_PROXY=1) failed logins count per client, not per balancer', async () => {
  const login = (gw: TestGateway, client: string, email: string) =>
    fetch(`${gw.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
      body: JSON.stringify({ email, password: 'a wrong password' }),
    }).then((r) => r.status);
  const behind = await startTestGateway({ GATEWAY_TRUST_PROXY: '1', AUTH_LOGIN_FAILURES_PER_IP: '2' });
  assert.deepEqual(
    [await login(behind, '10.0.0.1', 'a@example.com'), await login(behind, '10.0.0.1', 'b@example.com')],
    [401, 401],
  );
  assert.equal(await login(behind, '10.0.0.1', 'c@example.com'), 429, 'that client is locked');
  assert.equal(await login(behind, '10.0.0.2', 'c@example.com'), 401, 'another client is not');
  // Without it the header is the client's to invent: ignored, every attempt is the peer's.
  const direct = await startTestGateway({ AUTH_LOGIN_FAILURES_PER_IP: '2' });
  await login(direct, '10.0.0.1', 'a@example.com');
  await login(direct, '10.0.0.2', 'b@example.com');
  assert.equal(await login(direct, '10.0.0.3', 'c@example.com'), 429);
});

test('session adoption: the SDK fields it sets still exist, and the server knows the client', () => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => 'x' });
  const server = new Server({ name: 't', version: '0' }, { capabilities: {} });
  adoptSession(transport, server, {
    id: 'stored-id',
    clientCapabilities: { roots: {} },
    clientInfo: { name: 'persona-runner-worker', version: '1' },
  });
  assert.equal(transport.sessionId, 'stored-id');
  assert.deepEqual(server.getClientCapabilities(), { roots: {} });
  assert.deepEqual(server.getClientVersion(), { name: 'persona-runner-worker', version: '1' });
});

test('GATEWAY_LIMITS_STORE and GATEWAY_TRUST_PROXY: per-instance limits and no trusted proxy by default, bad values named', () => {
  const c = loadGatewayConfig({});
  assert.equal(c.limitsStore, 'memory');
  assert.equal(loadGatewayConfig({ GATEWAY_LIMITS_STORE: 'postgres' }).limitsStore, 'postgres');
  assert.equal(c.trustProxy, 0);
  assert.equal(loadGatewayConfig({ GATEWAY_LIMITS_STORE: 'memory', GATEWAY_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.throws(
    () => loadGatewayConfig({ GATEWAY_LIMITS_STORE: 'redis' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /GATEWAY_LIMITS_STORE \("redis"\): expected one of postgres \| memory/);
      return true;
    },
  );
  assert.throws(() => loadGatewayConfig({ GATEWAY_TRUST_PROXY: 'yes' }), /GATEWAY_TRUST_PROXY/);
});
