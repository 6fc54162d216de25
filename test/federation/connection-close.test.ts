import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redactor } from '../../mcp-gateway/upstream/redaction.ts';
import { UpstreamConnection } from '../../mcp-gateway/upstream/upstream-connection.ts';
import { testLogger } from '../support/database.ts';
import { scratchDir } from '../support/products.ts';
import { waitUntil } from '../support/wait.ts';

// Issue 22: close() set the state to "closed", but a connect still waiting on tools/list set it back
// to "up" afterwards — a session (for stdio a child process) outside every map, never swept. Eviction
// and the idle sweep close connections this way; a slow tools/list widens the window.
const dir = await scratchDir();
const SLOW_LIST_MS = 3000;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('closed while tools/list is slow: it stays closed and its child process is stopped', async () => {
  const pidFile = path.join(dir, 'slow.pid');
  let listings = 0;
  const conn = new UpstreamConnection({
    product: 'slow',
    transport: {
      type: 'stdio',
      command: process.execPath,
      args: [path.resolve('test/fixtures/upstreams/flaky-server.mjs')],
      env: { PID_FILE: pidFile, SLOW_LIST_MS: String(SLOW_LIST_MS) },
    },
    logger: testLogger,
    limits: { maxMessageBytes: 4 * 1024 * 1024, maxStreamBytes: 16 * 1024 * 1024 },
    timeoutMs: 30_000,
    redactor: new Redactor([]),
    onTools: () => listings++,
  });
  const pid = await waitUntil(
    () => fs.readFile(pidFile, 'utf8').then(Number, () => undefined),
    'the child is started',
  );
  await sleep(500); // initialize done, tools/list waiting
  assert.equal(conn.state, 'connecting');
  await conn.close();
  assert.equal(conn.state, 'closed');
  assert.equal(alive(pid), false, 'the child is stopped by close()');
  await sleep(SLOW_LIST_MS + 500);
  assert.equal(conn.state, 'closed', 'the late listing does not bring it back');
  assert.equal(listings, 0);
  await assert.rejects(conn.callTool('ping', {}, 1000), /slow is closed/);
});
