// The Temporal dev server's start-up when a port it needs is taken (the front-end port by another
// process for a moment — in a parallel test run a client's outgoing connection can land on a port
// just picked as free): a short clash is ridden out by starting again; a port that stays taken ends
// in an error that names the port and the log.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { findTemporalCli } from '../../lib/temporal/cli-binary.ts';
import { startDevServer, TemporalDevServerError } from '../../lib/temporal/dev-server.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { testLogger } from '../support/database.ts';

const cliPath = await findTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, logger: testLogger });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pr-dev-ports-'));
after(() => rm(dataDir, { recursive: true, force: true }));

/** Holds `port` with a plain TCP listener (not a Temporal server) until released. */
async function hold(port: number): Promise<() => Promise<void>> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  // The start's check for a running server connects here; its connection is cut with the listener.
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
}

const start = (port: number) =>
  startDevServer({
    cliPath,
    dataDir,
    port,
    uiPort: 0,
    namespace: 'default',
    logger: testLogger,
    headless: true,
  });

const logOf = (port: number) => readFile(path.join(dataDir, `temporal-dev-server-${port}.log`), 'utf8');

test('the front-end port taken for a moment: the start is tried again and the server comes up', async () => {
  const port = await freePort();
  const release = await hold(port);
  // Held past the first start (the check for a running server there takes ≈ 2 s: it accepts, never
  // answers), released before the last.
  const released = new Promise<void>((resolve) => setTimeout(() => void release().then(resolve), 3000));
  const server = await start(port);
  try {
    await released;
    assert.equal(server.owned, true, 'started by this process, not attached to the listener');
    assert.equal(server.address, `127.0.0.1:${port}`);
    assert.match(await logOf(port), /address already in use/, 'a start failed on the taken port first');
  } finally {
    await server.stop();
  }
});

test('the front-end port taken for good: a clear error naming the port and the log, after a few tries', async () => {
  const port = await freePort();
  const release = await hold(port);
  try {
    await assert.rejects(start(port), (err: unknown) => {
      assert.ok(err instanceof TemporalDevServerError, String(err));
      assert.match(err.message, new RegExp(`did not start on 127\\.0\\.0\\.1:${port} \\(it exited\\)`));
      assert.match(err.message, /Is the port taken\?/);
      assert.match(err.message, new RegExp(`temporal-dev-server-${port}\\.log`));
      return true;
    });
  } finally {
    await release();
  }
});
