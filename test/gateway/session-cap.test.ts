import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ConfigError } from '../../lib/config/env.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';
import { defineTool } from '../../mcp-gateway/tools/tool-spec.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { initializeRequest, postMcp } from '../support/raw-mcp.ts';
import { gate, waitUntil } from '../support/wait.ts';

const CAP = 3;

// A tool that holds its call open until the test releases it: a session with a request in flight.
const release = gate();
let slowCallsEntered = 0;
const slowTool = defineTool({
  name: 'test_slow_tool',
  title: 'Waits',
  description: 'Answers once the test opens the gate.',
  module: 'todos',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({}),
  output: z.object({ ok: z.boolean() }),
  async handler() {
    slowCallsEntered++;
    await release.promise;
    return { ok: true };
  },
});

const gw = await startTestGateway(
  { GATEWAY_MAX_SESSIONS_PER_USER: String(CAP) },
  { registry: [...toolRegistry, slowTool as unknown as (typeof toolRegistry)[number]] },
);

async function openSessions(): Promise<number> {
  return ((await (await fetch(`${gw.url}/health`)).json()) as { sessions: number }).sessions;
}

async function capEvents(outcome: 'evicted' | 'refused'): Promise<number> {
  return sampleValue(await scrapeMetrics(gw.url), 'gateway_session_cap_total', { outcome });
}

/** The rejection an SDK client gets for a request on a session the gateway no longer has. */
function isSessionNotFound(err: unknown): boolean {
  return err instanceof StreamableHTTPError && err.code === 404 && /session .* not found/.test(err.message);
}

describe('MCP sessions per user are capped (GATEWAY_MAX_SESSIONS_PER_USER)', () => {
  test('opening one more than the cap evicts the least recently used idle session; the count stays at the cap', async () => {
    const alice = await gw.tokenFor({ email: 'alice@example.com' });
    const carol = await gw.tokenFor({ email: 'carol@example.com' });
    const carolsSession = await gw.client(carol.token);
    const before = await openSessions();
    const evictedBefore = await capEvents('evicted');

    const first: Client[] = [];
    for (let i = 0; i < CAP; i++) first.push(await gw.client(alice.token));
    assert.equal(await openSessions(), before + CAP);

    const extra = await gw.client(alice.token);
    assert.equal(await openSessions(), before + CAP, 'one in, one out');
    assert.equal(await capEvents('evicted'), evictedBefore + 1);
    await assert.rejects(first[0]!.listTools(), isSessionNotFound, 'the oldest idle session is gone (404)');
    for (const c of [...first.slice(1), extra]) assert.ok((await c.listTools()).tools.length > 0);

    // Use decides, not age: the second-opened session was just used, so the third goes next.
    await first[1]!.listTools();
    await gw.client(alice.token);
    await assert.rejects(first[2]!.listTools(), isSessionNotFound);
    assert.ok((await first[1]!.listTools()).tools.length > 0);
    assert.equal(await openSessions(), before + CAP);

    // Another user's session was never a candidate.
    assert.ok((await carolsSession.listTools()).tools.length > 0);
  });

  test('with every session busy the new one is refused: 429 naming the cap; other users are unaffected', async () => {
    const bob = await gw.tokenFor({ email: 'bob@example.com' });
    const dave = await gw.tokenFor({ email: 'dave@example.com' });
    const busy: Client[] = [];
    for (let i = 0; i < CAP; i++) busy.push(await gw.client(bob.token));
    const entered = slowCallsEntered;
    const calls = busy.map((c) => c.callTool({ name: 'test_slow_tool', arguments: {} }));
    // Opened in any case: a failed assertion must not leave calls (and the gateway's close) hanging.
    try {
      await waitUntil(() => slowCallsEntered === entered + CAP, 'every slow call is running');
      const refusedBefore = await capEvents('refused');
      const before = await openSessions();

      const res = await postMcp(gw.mcpUrl, initializeRequest(), { token: bob.token });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.equal(res.headers.get('mcp-session-id'), null);
      const body = (await res.json()) as { error: { message: string } };
      assert.match(
        body.error.message,
        /too many open MCP sessions: this user already has 3 \(GATEWAY_MAX_SESSIONS_PER_USER\)/,
      );
      assert.match(body.error.message, /request in flight/);
      // What an SDK client sees: the same message, as an HTTP 429.
      await assert.rejects(
        gw.client(bob.token),
        (err: unknown) =>
          err instanceof StreamableHTTPError &&
          err.code === 429 &&
          /GATEWAY_MAX_SESSIONS_PER_USER/.test(err.message),
      );
      assert.equal(await capEvents('refused'), refusedBefore + 2);
      assert.equal(await openSessions(), before, 'nothing opened, nothing evicted');

      // Another user opens sessions as usual while bob is at his cap.
      const daves = await gw.client(dave.token);
      assert.ok((await daves.listTools()).tools.length > 0);
    } finally {
      release.open();
    }

    // The busy calls were never disturbed; once they are answered, bob's sessions are idle again.
    for (const r of await Promise.all(calls)) assert.notEqual(r.isError, true, JSON.stringify(r));
    await busy[1]!.listTools();
    await busy[2]!.listTools();
    const fresh = await gw.client(bob.token);
    assert.ok((await fresh.listTools()).tools.length > 0);
    await assert.rejects(busy[0]!.listTools(), isSessionNotFound);
  });

  test('the cap is configuration: default 16, at least 1, named when malformed', () => {
    assert.equal(loadGatewayConfig({}).maxSessionsPerUser, 16);
    assert.equal(loadGatewayConfig({ GATEWAY_MAX_SESSIONS_PER_USER: '4' }).maxSessionsPerUser, 4);
    for (const bad of ['0', 'many', '1.5']) {
      assert.throws(
        () => loadGatewayConfig({ GATEWAY_MAX_SESSIONS_PER_USER: bad }),
        (err: unknown) => err instanceof ConfigError && /GATEWAY_MAX_SESSIONS_PER_USER/.test(err.message),
      );
    }
  });
});
