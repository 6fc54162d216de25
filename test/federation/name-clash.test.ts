import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FederationStartError } from '../../mcp-gateway/upstream/federation.ts';
import { runCli } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { scratchDir, writeProducts } from '../support/products.ts';
import { startSupportGateway } from '../support/gateway.ts';
import { startHostileUpstream } from '../support/hostile-upstream.ts';

// Issue 22: product `evil` with tool `_pay` and product `evil_` with tool `pay` both expose
// `evil___pay`; before, the first product silently took the other's calls. Now a start-up error.
const upstream = await startHostileUpstream({ EXTRA_TOOLS: '_pay,pay' });
after(() => upstream.stop());
const dir = await scratchDir();
const productsFile = await writeProducts(dir, {
  builtin: false,
  products: [
    { name: 'evil', transport: { type: 'http', url: upstream.url() }, include: ['_pay'] },
    { name: 'evil_', transport: { type: 'http', url: upstream.url() }, include: ['pay'] },
  ],
});
const clash =
  /product evil_?: tool "_?pay" would be exposed as "evil___pay", which product evil_? exposes already/;

test('two products exposing the same name: the gateway refuses to start, naming both and the name', async () => {
  const database = await freshDatabase();
  await assert.rejects(
    startSupportGateway(database, { env: { PERSONA_PRODUCTS: productsFile } }),
    (err: unknown) => {
      assert.ok(err instanceof FederationStartError, String(err));
      assert.match(err.message, clash);
      assert.match(err.message, /product evil:.*product evil_ |product evil_:.*product evil /);
      return true;
    },
  );
});

test('personas products exits 1 with the clash', async () => {
  const res = await runCli(['products', '--products', productsFile]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stdout, clash);
});
