// An orderly shutdown is not an outage: once close() has begun, a connection the server terminates
// (the embedded Postgres stopping) is logged at debug, while the same loss at any other time is a
// warning (lib/db/client.ts). Issue 24: `up --once` ended with "Postgres connection lost" warnings.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { freshDatabase } from '../support/database.ts';

const admin = await freshDatabase();

function capturingDatabase() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) },
  );
  const opened = openDatabase({ ...loadBaseConfig({}), databaseUrl: admin.url }, logger, {
    poolSize: 4,
    migrate: false,
  });
  return { opened, lines };
}

/** Kills the backend of a checked-out client, as a server shutdown does (FATAL 57P01), and waits for its end. */
async function terminate(
  client: { query(q: string): Promise<{ rows: Array<{ pid: number }> }> } & NodeJS.EventEmitter,
) {
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
  const ended = new Promise((r) => client.once('end', r));
  await admin.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
  await ended;
}

test('a connection lost while the database is in use is a warning', async () => {
  const { opened, lines } = capturingDatabase();
  const database = await opened;
  after(() => database.close());
  const client = await database.pool.connect();
  await terminate(client);
  client.release();
  // pg may report one loss twice (the server's FATAL, then the socket's end).
  const warnings = lines.filter((l) => l.level >= 40).map((l) => l.msg);
  assert.ok(warnings.length > 0, 'the loss was not reported');
  assert.deepEqual([...new Set(warnings)], ['Postgres connection lost']);
});

test('a connection the server terminates during close() is logged at debug, not as a loss', async () => {
  const { opened, lines } = capturingDatabase();
  const database = await opened;
  const client = await database.pool.connect();
  // close() waits for the checked-out client; the server ends it meanwhile, as a stopping Postgres does.
  const closed = database.close();
  await terminate(client);
  client.release();
  await closed;
  assert.deepEqual(
    lines.filter((l) => l.level >= 40).map((l) => l.msg),
    [],
  );
  assert.ok(
    lines.some((l) => l.level === 20 && /during shutdown/.test(l.msg)),
    JSON.stringify(lines),
  );
});
