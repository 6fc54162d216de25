import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { childPid, flakyProduct, scratchDir, writeProducts } from '../support/products.ts';
import { openSession, postMcp } from '../support/raw-mcp.ts';
import { textOf } from '../support/tool-results.ts';

// Issue 22: a 100,000-deep argument to a federated tool with POLICY_MODE=off threw "Maximum call
// stack size exceeded" while serialising it for the upstream, which counted as a lost connection and
// tore down the session every user of the product shares. Now: ARGUMENTS_TOO_DEEP, session intact.
const dir = await scratchDir();
const pidFile = path.join(dir, 'flaky.pid');
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [flakyProduct(pidFile)],
});
const DEPTH = 100_000;

test(`POLICY_MODE=off: a ${DEPTH}-deep argument to a federated tool is ARGUMENTS_TOO_DEEP; the shared session stays`, async () => {
  const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile, POLICY_MODE: 'off' });
  const me = await gw.tokenFor({ email: 'deep-federated@people.dev' });
  const client = await gw.client(me.token);
  const pid = String(await childPid(pidFile));

  const sessionId = await openSession(gw.mcpUrl, me.token);
  // Built as text: JSON.stringify of such a value would itself overflow the test's stack.
  const deep =
    `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"flaky__ping","arguments":` +
    `{"x":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}}`;
  const res = await postMcp(gw.mcpUrl, deep, { token: me.token, sessionId });
  assert.equal(res.status, 200);
  const body = (await res.json()) as {
    error?: unknown;
    result?: { isError?: boolean; content: { text: string }[]; _meta?: Record<string, unknown> };
  };
  assert.equal(body.error, undefined, JSON.stringify(body.error));
  assert.equal(body.result?.isError, true);
  assert.equal(body.result?._meta?.errorClass, 'persona');
  assert.equal(body.result?._meta?.errorCode, 'ARGUMENTS_TOO_DEEP');
  assert.doesNotMatch(textOf(body.result!), /Maximum call stack|RangeError/);

  // The shared session is the same one: same child, up, answering.
  const health = (await (await fetch(`${gw.url}/health`)).json()) as { products: { status: string }[] };
  assert.equal(health.products[0]?.status, 'up');
  assert.match(
    textOf(await client.callTool({ name: 'flaky__ping', arguments: {} })),
    new RegExp(`pong from ${pid}`),
  );
  assert.equal(await fs.readFile(pidFile, 'utf8'), pid);
});
