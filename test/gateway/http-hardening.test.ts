import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { initializeRequest, MCP_POST_HEADERS, openSession, postMcp, rawHttp } from '../support/raw-mcp.ts';

const gw = await startTestGateway({ GATEWAY_BODY_LIMIT: '10kb' });
const me = await gw.tokenFor({ email: 'hardening@example.com' });

interface JsonRpcError {
  error: { code: number; message: string };
}

/** A tools/call whose note body pads the JSON to about `bytes`. */
const bigCall = (bytes: number) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'note_create', arguments: { title: 'big', body: 'x'.repeat(bytes) } },
});

describe('HTTP hardening', () => {
  test('a request for an allowed Host passes the Host check (the control)', async () => {
    const res = await rawHttp(gw.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, Host: `localhost:${gw.port}`, Authorization: `Bearer ${me.token}` },
      body: JSON.stringify(initializeRequest()),
    });
    assert.equal(res.status, 200);
  });

  test('Host: evil.example → 403 (DNS-rebinding defence), before auth', async () => {
    for (const auth of [{ Authorization: `Bearer ${me.token}` }, {}] as Record<string, string>[]) {
      const res = await rawHttp(gw.mcpUrl, {
        method: 'POST',
        headers: { ...MCP_POST_HEADERS, Host: 'evil.example', ...auth },
        body: JSON.stringify(initializeRequest()),
      });
      assert.equal(res.status, 403);
      assert.match((res.body as JsonRpcError).error.message, /Invalid Host: evil\.example/);
    }
    const health = await rawHttp(new URL(`${gw.url}/health`), {
      method: 'GET',
      headers: { Host: 'evil.example' },
    });
    assert.equal(health.status, 403);
  });

  test('Origin: http://evil.example → 403 naming the origin; the public origin is accepted', async () => {
    const evil = await postMcp(gw.mcpUrl, initializeRequest(), {
      token: me.token,
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(evil.status, 403);
    const body = (await evil.json()) as JsonRpcError;
    assert.match(
      body.error.message,
      /origin http:\/\/evil\.example is not allowed \(GATEWAY_ALLOWED_ORIGINS\)/,
    );

    const own = await postMcp(gw.mcpUrl, initializeRequest(), {
      token: me.token,
      headers: { Origin: new URL(gw.config.publicUrl).origin },
    });
    assert.equal(own.status, 200);
  });

  test('a body above GATEWAY_BODY_LIMIT → 413 naming the limit; just below it is processed', async () => {
    const sessionId = await openSession(gw.mcpUrl, me.token);
    const tooBig = await postMcp(gw.mcpUrl, bigCall(11 * 1024), { token: me.token, sessionId });
    assert.equal(tooBig.status, 413);
    const body = (await tooBig.json()) as JsonRpcError;
    assert.match(body.error.message, /request body larger than the 10240-byte limit \(GATEWAY_BODY_LIMIT\)/);
    assert.equal(await gw.count('notes'), 0);

    const fits = await postMcp(gw.mcpUrl, bigCall(9 * 1024), { token: me.token, sessionId });
    assert.equal(fits.status, 200);
    assert.equal(await gw.count('notes'), 1);
  });

  test('an oversized or broken body without a token is refused as unauthenticated (401), not parsed first', async () => {
    for (const body of [JSON.stringify(bigCall(11 * 1024)), '{"not json']) {
      const res = await postMcp(gw.mcpUrl, body);
      assert.equal(res.status, 401);
      assert.ok(res.headers.get('www-authenticate'));
      await res.body?.cancel();
    }
  });

  test('the identity routes share the body limit', async () => {
    const res = await fetch(`${gw.url}/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'big@example.com', password: 'p'.repeat(11 * 1024) }),
    });
    assert.equal(res.status, 413);
    await res.body?.cancel();
  });

  test('invalid JSON → 400 parse error, not a 500', async () => {
    const sessionId = await openSession(gw.mcpUrl, me.token);
    const res = await postMcp(gw.mcpUrl, '{"jsonrpc": "2.0", "id": 1, "method": ', {
      token: me.token,
      sessionId,
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as JsonRpcError;
    assert.equal(body.error.code, -32700);
  });

  test('/health reports the registry loaded and the database reachable', async () => {
    const res = await fetch(`${gw.url}/health`);
    assert.equal(res.status, 200);
    const health = (await res.json()) as {
      status: string;
      registry: { loaded: boolean; tools: number };
      db: string;
      policyMode: string;
    };
    assert.equal(health.status, 'ok');
    assert.deepEqual(health.registry, { loaded: true, tools: 14 });
    assert.equal(health.db, 'reachable');
    assert.equal(health.policyMode, 'enforce');
  });

  test('responses do not advertise the framework', async () => {
    const res = await fetch(`${gw.url}/health`);
    assert.equal(res.headers.get('x-powered-by'), null);
    await res.body?.cancel();
  });
});
