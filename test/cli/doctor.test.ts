// `personas doctor` through the real CLI: a healthy setup passes every check (exit 0); a broken one —
// a DATABASE_URL nothing answers, a port another program holds, a secret readable by others — fails
// each with its fix named (exit 1). Ports are picked free per run; nothing is started by the doctor.
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { localSecret, localSecretPath } from '../../lib/config/local-secrets.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { runCli, tempDir, UNREACHABLE_DATABASE_URL } from '../support/cli.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { adminDatabaseUrl, freshDatabase } from '../support/database.ts';
import { TEST_KEK } from '../support/secrets.ts';

const dir = await tempDir();
const dataDir = path.join(dir.dir, '.data');
localSecret(dataDir, 'vault-kek');
localSecret(dataDir, 'persona-seed');
const ports = {
  GATEWAY_PORT: String(await freePort()),
  DASHBOARD_PORT: String(await freePort()),
  WORKER_METRICS_PORT: String(await freePort()),
  TEMPORAL_DEV_PORT: String(await freePort()),
  TEMPORAL_UI_PORT: String(await freePort()),
};
const healthy = {
  ...ports,
  PERSONA_DATA_DIR: dataDir,
  DATABASE_URL: adminDatabaseUrl()!,
  TEMPORAL_ADDRESS: undefined,
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

test('a healthy setup: every check passes, exit 0', async () => {
  const r = await runCli(['doctor', '--json'], healthy);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const { ok, checks } = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  assert.equal(ok, true);
  const names = checks.map((c) => c.name);
  for (const n of [
    'node',
    'temporal',
    'postgres',
    `port ${ports.GATEWAY_PORT}`,
    'secret persona-seed',
    'secret vault-kek',
  ])
    assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  const text = await runCli(['doctor'], healthy);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^✓ node: v\d+/m);
  assert.match(text.stdout, /all checks passed\n$/);
});

test('a broken setup: bad DATABASE_URL, an occupied port, a secret others can read — each ✗ with its fix, exit 1', async () => {
  const squatter = net.createServer();
  squatter.listen(Number(ports.DASHBOARD_PORT), '0.0.0.0');
  await once(squatter, 'listening');
  const kek = localSecretPath(dataDir, 'vault-kek');
  await chmod(kek, 0o644);
  let r;
  try {
    r = await runCli(['doctor'], { ...healthy, DATABASE_URL: UNREACHABLE_DATABASE_URL });
  } finally {
    squatter.close();
    await chmod(kek, 0o600);
  }
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /✗ postgres: cannot reach postgresql:\/\/nobody@127\.0\.0\.1:9\/none: ECONNREFUSED\n {4}fix: start Postgres or fix DATABASE_URL/,
  );
  assert.match(
    r.stdout,
    new RegExp(
      `✗ port ${ports.DASHBOARD_PORT}: dashboard: in use by another program\\n {4}fix: stop what listens there \\(lsof -i :${ports.DASHBOARD_PORT}\\) or move ours: DASHBOARD_PORT=`,
    ),
  );
  assert.ok(
    r.stdout.includes(
      `✗ secret vault-kek: ${kek} is mode 0644: readable by others\n    fix: chmod 600 ${kek}\n`,
    ),
    r.stdout,
  );
  assert.match(r.stdout, /✓ secret persona-seed: present, mode 0600/);
  assert.match(r.stdout, /3 problem\(s\)\n$/);
});

test('a products file whose product does not start fails with the product’s words', async () => {
  const script = await dir.write('dead.mjs', "console.error('cannot open the database'); process.exit(3);\n");
  const products = await dir.write('products.json', {
    builtin: false,
    products: [{ name: 'shop', transport: { type: 'stdio', command: process.execPath, args: [script] } }],
  });
  const r = await runCli(['doctor', '--products', products], healthy);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ product shop: stdio: down/);
  assert.match(r.stdout, /fix: start it or fix its entry in .*products\.json; personas products --products/);
});

test('a port held by persona-runner itself (a running dashboard) is reused, not a problem', async () => {
  const database = await freshDatabase();
  const dashboard = await startDashboard({ kek: TEST_KEK, db: database.db, port: 0, refreshSeconds: 0 });
  try {
    const port = new URL(dashboard.url).port;
    const r = await runCli(['doctor'], { ...healthy, DASHBOARD_PORT: port });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(`✓ port ${port}: dashboard: in use by persona-runner (reused)\n`), r.stdout);
  } finally {
    await dashboard.close();
  }
});
