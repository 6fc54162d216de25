import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { freePort } from '../../lib/net/free-port.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { scratchDir, startEverything, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';
import { waitUntil } from '../support/wait.ts';

// Upstreams that fail: a stdio server killed mid-call (respawned), one whose tool list changes, one
// that answers with JSON-RPC invalid params, and an HTTP product that is down when the gateway starts.
const dir = await scratchDir();
const pidFile = path.join(dir, 'flaky.pid');
const downPort = await freePort();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'flaky',
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [path.resolve('test/fixtures/upstreams/flaky-server.mjs')],
        env: { PID_FILE: pidFile },
      },
      reconnectMaxSeconds: 0.5,
    },
    {
      name: 'later',
      transport: { type: 'http', url: `http://127.0.0.1:${downPort}/mcp` },
      include: ['echo'],
      reconnectMaxSeconds: 0.5,
    },
  ],
});
// Nothing listens on downPort: the gateway must start anyway.
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile });
const me = await gw.tokenFor({ email: 'fed-resilience@example.com' });
const client = await gw.client(me.token);
let listChanged = 0;
client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
  listChanged++;
});

interface Health {
  status: string;
  products: { name: string; status: string; tools: number; inFlight: number; lastError: string | null }[];
}
const health = async () => (await (await fetch(`${gw.url}/health`)).json()) as Health;
const product = async (name: string) => (await health()).products.find((p) => p.name === name)!;
const pid = async () => Number(await fs.readFile(pidFile, 'utf8'));

describe('resilience', () => {
  test('an upstream down at start: the gateway starts, /health reports it, its calls are infra errors', async () => {
    const h = await health();
    assert.equal(h.status, 'degraded');
    const later = h.products.find((p) => p.name === 'later')!;
    assert.equal(later.status === 'down' || later.status === 'connecting', true, later.status);
    assert.equal(later.tools, 0);
    assert.ok(later.lastError, 'the last error is reported');
    const res = await client.callTool({ name: 'later__echo', arguments: { message: 'x' } });
    assert.equal(res._meta?.errorClass, 'infra');
    assert.equal(res._meta?.retryable, true);
    assert.equal((await product('flaky')).status, 'up', 'the other product is unaffected');
  });

  test('JSON-RPC invalid params from the upstream is a persona error', async () => {
    const res = await client.callTool({ name: 'flaky__strict', arguments: {} });
    assert.equal(res._meta?.errorClass, 'persona');
    assert.match(textOf(res), /"when" must be a future date/);
  });

  test('an upstream killed mid-call: the call is an infra error, the child is respawned', async () => {
    const first = await pid();
    const pending = client.callTool({ name: 'flaky__hang', arguments: {} });
    await waitUntil(async () => (await product('flaky')).inFlight === 1, 'the call is in flight upstream');
    process.kill(first, 'SIGKILL');
    const res = await pending;
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'infra');
    assert.equal(res._meta?.retryable, true);
    await waitUntil(
      async () => (await product('flaky')).status === 'up' && (await pid()) !== first,
      'the child is respawned',
    );
    const ping = await client.callTool({ name: 'flaky__ping', arguments: {} });
    assert.equal(ping.isError, undefined, textOf(ping));
    assert.match(textOf(ping), new RegExp(`pong from ${await pid()}`));
    const text = await scrapeMetrics(gw.url);
    assert.equal(
      sampleValue(text, 'gateway_upstream_calls_total', { tool: 'flaky__hang', error_class: 'infra' }),
      1,
    );
  });

  test('an idle upstream that dies is respawned without waiting for a call', async () => {
    const before = await pid();
    process.kill(before, 'SIGKILL');
    await waitUntil(
      async () => (await pid()) !== before && (await product('flaky')).status === 'up',
      'respawned',
    );
    assert.match(textOf(await client.callTool({ name: 'flaky__ping', arguments: {} })), /pong/);
  });

  test('an upstream whose tool list changes: the gateway refreshes and notifies its clients', async () => {
    const before = listChanged;
    assert.ok(!(await client.listTools()).tools.some((t) => t.name === 'flaky__extra'));
    await client.callTool({ name: 'flaky__add_tool', arguments: {} });
    await waitUntil(() => listChanged > before, 'the client is notified');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'flaky__extra'));
    assert.equal(textOf(await client.callTool({ name: 'flaky__extra', arguments: {} })), 'extra');
  });

  test('the product that was down comes up: reconnected, listed, clients notified, calls succeed', async () => {
    const before = listChanged;
    await startEverything(downPort);
    await waitUntil(async () => (await product('later')).status === 'up', 'the product reconnects');
    await waitUntil(() => listChanged > before, 'the client is notified of the new tools');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'later__echo'));
    const res = await client.callTool({ name: 'later__echo', arguments: { message: 'back' } });
    assert.equal(res.isError, undefined, textOf(res));
    assert.equal((await health()).status, 'ok');
  });
});
