import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, test } from 'node:test';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ResilientPool } from '../../lib/db/pool.ts';
import { isDatabaseUnavailable } from '../../lib/db/unavailable.ts';
import { freshDatabase } from '../support/database.ts';

const database = await freshDatabase();
// A caller stuck waiting for a pool slot holds no handle of its own; without this the process would
// just exit mid-test (reported as nothing) instead of failing on the pool's connection timeout.
const keepAlive = setInterval(() => {}, 1000);
after(() => clearInterval(keepAlive));
const admin = database.pool;

/** The connection's end (not events.once: that rejects on the 'error' that comes first). */
const endOf = (client: pg.ClientBase) => new Promise<void>((r) => client.once('end', () => r()));

/** Kills a backend as a Postgres restart does (FATAL 57P01 to that connection). */
async function killBackend(client: pg.PoolClient | pg.Client): Promise<void> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
}

test('a checked-out client whose connection dies does not crash the process', async () => {
  // Without a listener for 'error' on every client, pg emits it unhandled and node exits.
  const client = await database.pool.connect();
  const ended = endOf(client);
  await killBackend(client);
  await ended;
  await assert.rejects(client.query('SELECT 1'), (err) => isDatabaseUnavailable(err));
  client.release();
  assert.equal((await database.pool.query('SELECT 1 AS one')).rows[0].one, 1);
});

test('a client lost while checked out and never released (drizzle after a failed BEGIN) is given back', async () => {
  // One connection: if the dead client stayed counted as checked out, every later caller would wait.
  const pool = new ResilientPool({ connectionString: database.url, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  pool.on('connect', (c) => c.on('error', () => {}));
  after(() => pool.end());
  const leaked = await pool.connect();
  const ended = endOf(leaked);
  await killBackend(leaked);
  await ended;
  // The holder never releases it (as drizzle's transaction() when BEGIN throws) …
  const db = drizzle(pool);
  const { rows } = await db.execute<{ one: number }>('SELECT 1 AS one');
  assert.equal(rows[0]!.one, 1);
  // … and a late release by the holder is harmless.
  leaked.release();
  assert.equal((await pool.query('SELECT 2 AS two')).rows[0].two, 2);
});

test('isDatabaseUnavailable: connection failures yes, statement errors no', async () => {
  // A refused connection (a port nobody listens on).
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const refused = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  const refusal = await refused.connect().then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(isDatabaseUnavailable(refusal), String(refusal));

  // A terminated backend: 57P01 or "Connection terminated", depending on timing.
  const victim = new pg.Client({ connectionString: database.url });
  victim.on('error', () => {});
  await victim.connect();
  const ended = endOf(victim);
  await killBackend(victim);
  await ended;
  const terminated = await victim.query('SELECT 1').then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(isDatabaseUnavailable(terminated), String(terminated));

  // drizzle wraps driver errors; the cause chain is followed.
  assert.ok(isDatabaseUnavailable(new Error('Failed query: select 1', { cause: terminated })));
  for (const code of ['57P01', '57P03', '08006', 'ECONNREFUSED']) {
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code);
  }

  // A wrong statement or a constraint violation is not an outage.
  const syntax = await admin.query('SELEC 1').then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.equal(isDatabaseUnavailable(syntax), false);
  assert.equal(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' })), false);
  assert.equal(isDatabaseUnavailable(new Error('something else')), false);
  assert.equal(isDatabaseUnavailable(undefined), false);
});
