import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { recordingProxy, scratchDir, startEverything, writeProducts } from '../support/products.ts';
import { textOf } from '../support/tool-results.ts';

// server-everything (real, from npm) in its Streamable HTTP mode, behind a pass-through proxy that
// records the headers the upstream receives.
const everything = await startEverything();
const proxy = await recordingProxy(everything.port);
const proxyUrl = proxy.url;

const dir = await scratchDir();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'everything',
      transport: {
        type: 'http',
        url: proxyUrl,
        headers: { Authorization: 'Bearer ${env:EVERYTHING_TOKEN}' },
      },
      include: ['echo', 'get-sum'],
    },
  ],
});
process.env.EVERYTHING_TOKEN = 'upstream-token-for-tests';
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile });
const me = await gw.tokenFor({ email: 'fed-http@example.com' });
const client = await gw.client(me.token);

describe('an HTTP product through the gateway', () => {
  test('builtin:false and include: only the included upstream tools are listed', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['everything__echo', 'everything__get-sum']);
    const sum = tools.find((t) => t.name === 'everything__get-sum')!;
    assert.equal(sum.title, 'Get Sum Tool');
    assert.equal(sum._meta?.module, 'everything');
  });

  test('calls pass through', async () => {
    const echo = await client.callTool({
      name: 'everything__echo',
      arguments: { message: 'hello upstream' },
    });
    assert.equal(echo.isError, undefined, textOf(echo));
    assert.match(textOf(echo), /hello upstream/);
    const sum = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 40 } });
    assert.match(textOf(sum), /42/);
  });

  test('a wrong type is a persona error naming the field; built-in and excluded tools are unknown', async () => {
    const res = await client.callTool({ name: 'everything__get-sum', arguments: { a: 'two', b: 40 } });
    assert.equal(res._meta?.errorClass, 'persona');
    assert.match(textOf(res), /a: must be number/);
    for (const name of ['todo_create', 'everything__get-env']) {
      const r = await client.callTool({ name, arguments: {} });
      assert.equal(r._meta?.errorCode, 'UNKNOWN_TOOL', name);
    }
  });

  test("the upstream gets the product's configured credentials, never the gateway's JWT", () => {
    const seenAuth = proxy.seen.map((h) => String(h.authorization));
    assert.ok(seenAuth.length > 0);
    assert.ok(
      seenAuth.every((a) => a === 'Bearer upstream-token-for-tests'),
      seenAuth.join(', '),
    );
    assert.ok(!seenAuth.some((a) => a.includes(me.token)));
  });
});
