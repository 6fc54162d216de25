import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { freshDatabase } from '../support/database.ts';
import { capturedLog } from '../support/captured-log.ts';
import { runCli } from '../support/cli.ts';
import { startSupportGateway } from '../support/gateway.ts';
import { scratchDir, writeProducts } from '../support/products.ts';

// A stdio product that exits at start says why on stderr; the operator sees those words (and the
// exit code) in `personas products`, /health and the gateway log — never a credential of its env.
const DIES = path.resolve('test/fixtures/upstreams/dies-at-start.mjs');
const LITERAL_KEY = 'sk-literal-key-0123456789';
const ENV_TOKEN = 'tok-from-the-environment-9876';
const dir = await scratchDir();
const file = await writeProducts(dir, {
  builtin: true,
  products: [
    {
      name: 'files',
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [DIES],
        env: { API_KEY: LITERAL_KEY, UPSTREAM_TOKEN: '${env:FILES_TOKEN}' },
      },
    },
  ],
});
const env = { PERSONA_PRODUCTS: file, PERSONA_DATA_DIR: dir, FILES_TOKEN: ENV_TOKEN };

const noSecrets = (text: string, where: string) => {
  assert.doesNotMatch(text, new RegExp(LITERAL_KEY), `${where} repeats the literal env value`);
  assert.doesNotMatch(text, new RegExp(ENV_TOKEN), `${where} repeats the \${env:…} value`);
};

describe('a stdio product that exits at start', () => {
  test('`personas products` shows its own words and exit code, exits 1, no credentials', async () => {
    const res = await runCli(['products', '--json'], env);
    assert.equal(res.code, 1, res.stderr);
    const out = JSON.parse(res.stdout) as {
      products: { name: string; status: string; lastError: string; stderr: string; reason: string }[];
    };
    const files = out.products[0]!;
    assert.equal(files.status, 'down');
    assert.match(
      files.lastError,
      /exited with code 3; its stderr: .*None of the specified directories are accessible/s,
    );
    assert.match(files.stderr, /None of the specified directories are accessible/);
    assert.ok(files.stderr.length <= 4096, `stderr kept: ${files.stderr.length} characters`);
    assert.doesNotMatch(files.stderr, /starting with a long banner/, 'only the last 4 KB are kept');
    assert.match(files.stderr, /API_KEY=\[redacted\] TOKEN=\[redacted\]/);
    noSecrets(res.stdout + res.stderr, 'personas products --json');

    const text = await runCli(['products'], env);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /✗ files \(stdio, shared\): down/);
    assert.match(text.stdout, /last error: .*exited with code 3.*None of the specified directories/s);
    assert.match(text.stdout, /stderr \(last 4 KB\):\n {6}x+\n {6}config: API_KEY=\[redacted\]/);
    noSecrets(text.stdout + text.stderr, 'personas products');
  });

  test('/health shows the reason trimmed, and the gateway log all of it, no credentials', async () => {
    // The gateway expands `${env:…}` from its own environment.
    process.env.FILES_TOKEN = ENV_TOKEN;
    const database = await freshDatabase();
    const log = capturedLog();
    const gw = await startSupportGateway(database, { env, logger: log.logger });
    after(() => gw.close());
    const health = (await (await fetch(`${gw.url}/health`)).json()) as {
      products: { name: string; status: string; error: string; reason: string }[];
    };
    const files = health.products.find((p) => p.name === 'files')!;
    assert.equal(files.status, 'down');
    assert.equal(files.error, 'closed');
    assert.match(files.reason, /exited with code 3; its stderr: .*None of the specified directories/s);
    assert.ok(files.reason.length <= 300, `${files.reason.length} characters`);
    noSecrets(JSON.stringify(health), '/health');
    assert.match(log.text(), /None of the specified directories are accessible/);
    assert.match(log.text(), /exited with code 3/);
    noSecrets(log.text(), 'the gateway log');
  });
});
