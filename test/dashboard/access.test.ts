// Issue 8 item 12: the dashboard and the worker's /metrics answer only to allowed Host names (a
// DNS-rebinding page arrives with its own), and demand a token when they listen beyond loopback.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { loadDashboardAccess } from '../../dashboard/config.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { ConfigError } from '../../lib/config/env.ts';
import { startWorkerHttp } from '../../workers/http.ts';
import { freshDatabase } from '../support/database.ts';
import { rawGet } from '../support/raw-http.ts';

const database = await freshDatabase();
const TOKEN = 'a-dashboard-token-for-tests';
const basic = (password: string) => `Basic ${Buffer.from(`me:${password}`).toString('base64')}`;

describe('dashboard', () => {
  test('default: loopback names only; a rebinding Host gets 403 and no data', async () => {
    const d = await startDashboard({ db: database.db, port: 0 });
    after(() => d.close());
    for (const route of ['/', '/api/summary.json', '/ticks', '/health']) {
      const evil = await rawGet(d.port, route, { host: `evil.example:${d.port}` });
      assert.equal(evil.status, 403, route);
      assert.match(evil.body, /DASHBOARD_ALLOWED_HOSTS/);
      assert.equal((await rawGet(d.port, route, { host: `localhost:${d.port}` })).status, 200, route);
    }
  });

  test('with a token: 401 + a Basic prompt without it; Bearer or the prompt’s password opens it', async () => {
    const d = await startDashboard({
      db: database.db,
      port: 0,
      allowedHosts: ['dash.internal'],
      token: TOKEN,
    });
    after(() => d.close());
    const host = 'dash.internal';
    const none = await rawGet(d.port, '/api/summary.json', { host });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Basic realm=/);
    assert.equal(
      (await rawGet(d.port, '/', { host, authorization: 'Bearer wrong-token-value' })).status,
      401,
    );
    assert.equal((await rawGet(d.port, '/', { host, authorization: `Bearer ${TOKEN}` })).status, 200);
    assert.equal((await rawGet(d.port, '/', { host, authorization: basic(TOKEN) })).status, 200);
    assert.equal((await rawGet(d.port, '/', { host: 'localhost', authorization: basic(TOKEN) })).status, 403);
  });

  test('beyond loopback without a token it will not start; the CLI config generates one (dev) or demands it (production)', async () => {
    await assert.rejects(startDashboard({ db: database.db, port: 0, host: '0.0.0.0' }), /DASHBOARD_TOKEN/);

    const dir = await mkdtemp(path.join(tmpdir(), 'persona-runner-dash-'));
    after(() => rm(dir, { recursive: true, force: true }));
    assert.equal(loadDashboardAccess('127.0.0.1', { PERSONA_DATA_DIR: dir }).token, undefined);
    const dev = loadDashboardAccess('0.0.0.0', { PERSONA_DATA_DIR: dir });
    assert.equal(dev.token, (await readFile(path.join(dir, 'secrets/dashboard-token'), 'utf8')).trim());
    assert.throws(
      () => loadDashboardAccess('0.0.0.0', { PERSONA_DATA_DIR: dir, NODE_ENV: 'production' }),
      (err: Error) =>
        err instanceof ConfigError && /DASHBOARD_TOKEN is unset in production/.test(err.message),
    );
    assert.equal(
      loadDashboardAccess('0.0.0.0', { DASHBOARD_TOKEN: TOKEN, NODE_ENV: 'production' }).token,
      TOKEN,
    );
  });
});

describe('worker /metrics', () => {
  const registry = new Registry();
  new Counter({ name: 'probe_total', help: 'probe', registers: [registry] }).inc();

  test('a rebinding Host gets 403 on /metrics and /health', async () => {
    const w = await startWorkerHttp({ port: 0, registry, health: () => ({ ok: true }) });
    after(() => w.close());
    for (const route of ['/metrics', '/health']) {
      assert.equal((await rawGet(w.port, route, { host: 'evil.example' })).status, 403, route);
      assert.equal((await rawGet(w.port, route, { host: `127.0.0.1:${w.port}` })).status, 200, route);
    }
  });

  test('with a token (as when bound beyond loopback): /metrics needs it, /health does not', async () => {
    const w = await startWorkerHttp({
      port: 0,
      registry,
      health: () => ({ ok: true }),
      allowedHosts: ['worker'],
      token: TOKEN,
    });
    after(() => w.close());
    assert.equal((await rawGet(w.port, '/metrics', { host: 'worker:9464' })).status, 401);
    const ok = await rawGet(w.port, '/metrics', { host: 'worker:9464', authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /probe_total 1/);
    assert.equal((await rawGet(w.port, '/health', { host: 'worker:9464' })).status, 200);
  });
});
