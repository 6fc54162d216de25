import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase } from '../support/database.ts';
import { scratchDir, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';
import { waitUntil } from '../support/wait.ts';
import { capturedLog } from '../support/captured-log.ts';
import { startSupportGateway, UNLIMITED_GATEWAY_ENV } from '../support/gateway.ts';
import { startHostileUpstream } from '../support/hostile-upstream.ts';

// Issue 22: what an upstream lists and answers is its own text. A catastrophic regex in its schema,
// a pattern RE2 cannot run, a listing nested too deep, its credential echoed back in a result, an
// error page and a JSON-RPC error, a listing personalised per account, a flood of list_changed.
const hostile = await startHostileUpstream();
after(() => hostile.stop());
const CREDENTIAL = 'hostile-upstream-credential-7f3a9c';
process.env.HOSTILE_TOKEN = CREDENTIAL;
const auth = { Authorization: 'Bearer ${env:HOSTILE_TOKEN}' };
const dir = await scratchDir();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'hostile',
      transport: { type: 'http', url: hostile.url(), headers: auth },
      reconnectMaxSeconds: 0.5,
    },
    { name: 'leaky', transport: { type: 'http', url: hostile.url('leaky'), headers: auth } },
    {
      name: 'personal',
      isolation: 'per-user',
      transport: { type: 'http', url: hostile.url(), headers: { 'X-User': '${user.email}' } },
    },
  ],
});
const log = capturedLog();
const database = await freshDatabase();
const gw = await startSupportGateway(database, {
  env: { PERSONA_PRODUCTS: productsFile, ...UNLIMITED_GATEWAY_ENV },
  logger: log.logger,
});
after(() => gw.close());
const a = await gw.client((await gw.tokenFor({ email: 'attacked@people.dev' })).token);
const b = await gw.client((await gw.tokenFor({ email: 'bystander@people.dev' })).token);

/** `call` timed, while the bystander's call runs beside it. */
async function timedWithBystander(call: () => Promise<object>) {
  const started = performance.now();
  const [res, other] = await Promise.all([
    call().then((r) => ({ r, ms: performance.now() - started })),
    b.callTool({ name: 'hostile__ok', arguments: {} }).then((r) => ({ r, ms: performance.now() - started })),
  ]);
  return { res: res.r as Awaited<ReturnType<typeof a.callTool>>, ms: res.ms, other };
}

describe('regexes and schemas of an upstream', () => {
  test('a catastrophic output pattern is answered at once (RE2), and other users are not held', async () => {
    const { res, ms, other } = await timedWithBystander(() =>
      a.callTool({ name: 'hostile__catastrophic', arguments: {} }),
    );
    assert.equal(res._meta?.errorCode, 'UPSTREAM_BAD_OUTPUT', textOf(res));
    assert.match(textOf(res), /s: must match pattern/);
    assert.ok(ms < 1000, `answered in ${ms} ms`);
    assert.equal(textOf(other.r), 'ok');
    assert.ok(other.ms < 1000, `the other user waited ${other.ms} ms`);
  });

  test('the same pattern on the input: a persona error at once', async () => {
    const started = performance.now();
    const res = await a.callTool({ name: 'hostile__checked', arguments: { code: `${'a'.repeat(30)}b` } });
    assert.equal(res._meta?.errorCode, 'INVALID_ARGUMENTS', textOf(res));
    assert.ok(performance.now() - started < 1000);
    assert.equal(textOf(await a.callTool({ name: 'hostile__checked', arguments: { code: 'aaa' } })), 'fine');
  });

  test('a pattern RE2 cannot run is not checked, with a warning naming product and tool', async () => {
    assert.equal(textOf(await a.callTool({ name: 'hostile__lookahead', arguments: { code: 'y' } })), 'fine');
    assert.match(
      log.text(),
      /product hostile: tool \\"lookahead\\": pattern \\"\^\(\?=x\)x\+\$\\" .* is not checked/,
    );
  });

  test('a tool whose listing nests too deep is left out, with a warning', async () => {
    const names = (await a.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('hostile__ok'));
    assert.ok(!names.includes('hostile__deep_schema'));
    assert.match(
      log.text(),
      /product hostile: tool \\"deep_schema\\" is not exposed: its listing nests deeper than 64 levels/,
    );
  });
});

describe('an upstream that echoes its credential', () => {
  test('not in a result, an upstream error, an error page, /health or the log', async () => {
    const echoed = await a.callTool({ name: 'hostile__echo_headers', arguments: {} });
    assert.equal(echoed.isError, undefined);
    assert.match(textOf(echoed), /"authorization":"\[redacted\]"/, 'sent, and masked on the way back');
    const rpcError = await a.callTool({ name: 'hostile__echo_error', arguments: {} });
    assert.equal(rpcError._meta?.errorCode, 'UPSTREAM_ERROR');
    assert.match(textOf(rpcError), /token \[redacted\] is not allowed here/);
    const page = await a.callTool({ name: 'hostile__echo_400', arguments: {} });
    assert.equal(page._meta?.errorClass, 'infra');
    assert.match(textOf(page), /HTTP 400 Bad Request/);
    assert.doesNotMatch(textOf(page), /youSent/, "the error page's body is never quoted");

    const health = await (await fetch(`${gw.url}/health`)).text();
    const leaky = (JSON.parse(health) as { products: Record<string, unknown>[] }).products.find(
      (p) => p.name === 'leaky',
    )!;
    assert.deepEqual([leaky.status, leaky.error, 'lastError' in leaky], ['down', 'http-status', false]);
    for (const [where, text] of [
      ['results', JSON.stringify([echoed, rpcError, page])],
      ['/health', health],
      ['the log', log.text()],
    ] as const)
      assert.ok(!text.includes(CREDENTIAL), `the credential is in ${where}`);
    assert.match(log.text(), /HTTP 400 Bad Request/, 'the log says what went wrong');
  });
});

describe("the product's listing", () => {
  test("comes from the discovery session: a user's personalised listing never reaches others", async () => {
    assert.equal(textOf(await a.callTool({ name: 'personal__ok', arguments: {} })), 'ok');
    const names = (await b.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('personal__ok'));
    assert.deepEqual(
      names.filter((n) => n.includes('private')),
      [],
    );
    assert.equal(
      (await hostile.stats()).lists['attacked@people.dev'],
      undefined,
      'a per-user session does not list',
    );
  });

  test('a flood of list_changed costs one or two listings, not one per notice', async () => {
    // The error page above cost the shared session; wait for the new one and its notification stream.
    let before = 0;
    await waitUntil(async () => {
      before = (await hostile.stats()).lists.shared ?? 0;
      return textOf(await a.callTool({ name: 'hostile__burst_list_changed', arguments: {} })) === 'sent';
    }, 'the notices are sent');
    await waitUntil(
      async () => ((await hostile.stats()).lists.shared ?? 0) > before,
      'the tools are listed again',
    );
    await sleep(1000);
    const listed = ((await hostile.stats()).lists.shared ?? 0) - before;
    assert.ok(listed <= 2, `50 notices cost ${listed} listings`);
  });
});
