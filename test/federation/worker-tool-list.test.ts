import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { PersonaSessions } from '../../activities/mcp/persona-sessions.ts';
import { startTestGateway } from '../support/gateway.ts';
import { scratchDir, writeProducts } from '../support/products.ts';
import { waitUntil } from '../support/wait.ts';

// The worker's MCP sessions cache the gateway's tool listing; a federated product whose tools change
// makes the gateway send tools/list_changed, and the worker lists again.
const dir = await scratchDir();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'flaky',
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [path.resolve('test/fixtures/upstreams/flaky-server.mjs')],
      },
    },
  ],
});
const gw = await startTestGateway({ PERSONA_PRODUCTS: productsFile });
const email = 'worker-list@personas.test';
const password = 'a-long-test-password-for-the-worker';
const { userId } = await gw.tokenFor({ email, password });
const sessions = new PersonaSessions({ gatewayUrl: gw.url, credentials: async () => ({ email, password }) });
after(() => sessions.close());

test("a product's tool list change reaches the worker's cached listing", async () => {
  const names = async () => (await sessions.listTools(userId)).map((t) => t.name);
  assert.ok(!(await names()).includes('flaky__extra'));
  const res = await sessions.callTool(userId, 'flaky__add_tool', {}, 'worker-list-1');
  assert.equal(res.isError, undefined);
  await waitUntil(async () => (await names()).includes('flaky__extra'), 'the worker lists the new tool');
});
