import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from '../logger.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';
import { PersonaRunnerError } from '../errors.ts';

/** Thrown when the dev server does not come up; the message points at its log file. */
export class TemporalDevServerError extends PersonaRunnerError {
  override readonly code = 'TEMPORAL_DEV_SERVER_FAILED';
}

export interface DevServerHandle {
  address: string;
  uiUrl: string | undefined;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * A Temporal server answers on `address`. Bounded: something else listening there (accepting the
 * connection, never answering gRPC) is "not reachable" after 2 s, not a hang.
 */
/** Whether a Temporal server answers at `address` (host:port). */
export async function reachable(address: string): Promise<boolean> {
  let c: Connection | undefined;
  try {
    // A channel of its own: grpc-js otherwise shares one per address across connections, and a try
    // against something that is not a Temporal server leaves it backing off for minutes.
    c = await Connection.connect({
      address,
      connectTimeout: 1000,
      channelArgs: { 'grpc.use_local_subchannel_pool': 1 },
    });
    const conn = c;
    await conn.withDeadline(Date.now() + 2000, () => conn.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await c?.close().catch(() => {});
  }
}

/**
 * Starts `temporal server start-dev` with a persistent SQLite file (or in memory when `dbFile` is
 * undefined), the Web UI and the project's search attributes, or attaches to one already serving
 * on that port (e.g. started by `personas up` while you run `personas tick`).
 */
export async function startDevServer(opts: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
  /** SQLite file; undefined keeps everything in memory (tests). */
  dbFile?: string;
  headless?: boolean;
  codecEndpoint?: string;
}): Promise<DevServerHandle> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = opts.headless ? undefined : `http://localhost:${opts.uiPort}`;
  if (await reachable(address)) {
    opts.logger.debug({ address }, 'attaching to the running Temporal dev server');
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  await fs.mkdir(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    // WAL + synchronous=normal: creating 10,000 schedules took 107 s with the defaults and 50 s with
    // these; a development server may lose its last transactions on power loss, nothing more.
    ...(opts.dbFile
      ? [
          '--db-filename',
          opts.dbFile,
          '--sqlite-pragma',
          'journal_mode=wal',
          '--sqlite-pragma',
          'synchronous=normal',
        ]
      : []),
    ...(opts.headless ? ['--headless'] : ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1']),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
    ...SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
  ];
  const logFile = path.join(opts.dataDir, `temporal-dev-server-${opts.port}.log`);
  // A port the server wants can be taken for a moment: the front-end port by a client's outgoing
  // connection (ephemeral ports share the range free ports are picked from), or one of the ports it
  // picks at random for its HTTP API and metrics. Such a start is tried again, a few times; a port
  // that stays taken ends in the error below.
  let child: ChildProcess | undefined;
  for (let attempt = 1; ; attempt++) {
    const started = await spawnDevServer(opts.cliPath, args, logFile, address);
    if (started.ok) {
      child = started.child;
      break;
    }
    if (started.portTaken && attempt < PORT_TAKEN_ATTEMPTS) {
      opts.logger.warn({ address, attempt }, 'Temporal dev server: a port it needs is taken; trying again');
      await new Promise((r) => setTimeout(r, 500 * attempt));
      continue;
    }
    throw new TemporalDevServerError(
      `the Temporal dev server did not start on ${address} (${started.reason}); see ${logFile}. ` +
        'Is the port taken? Set TEMPORAL_DEV_PORT, or TEMPORAL_ADDRESS to use a running server.',
    );
  }
  const running = child;
  opts.logger.info({ address, uiUrl, db: opts.dbFile ?? 'in-memory' }, 'Temporal dev server started');
  return {
    address,
    uiUrl,
    owned: true,
    async stop() {
      if (running.exitCode !== null || running.signalCode !== null) return;
      const done = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** How often a start that found a port taken is tried (with 0.5 s, 1 s … between). */
const PORT_TAKEN_ATTEMPTS = 4;

type SpawnOutcome = { ok: true; child: ChildProcess } | { ok: false; reason: string; portTaken: boolean };

/** One start of the dev server, its output appended to `logFile`; settles once it serves or gave up. */
async function spawnDevServer(
  cliPath: string,
  args: string[],
  logFile: string,
  address: string,
): Promise<SpawnOutcome> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (output.length < 64_000) output += chunk.toString();
    });
  }
  // 'close' follows 'exit' once the output streams have ended: then the log is complete.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void closed.then(() => log.end());
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await reachable(address))) {
    if (exited || Date.now() > deadline) {
      const reason = exited ? 'it exited' : 'timed out';
      child.kill('SIGKILL');
      await closed; // all of its output is in `output` (and the log)
      return { ok: false, reason, portTaken: /address already in use/i.test(output) };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ok: true, child };
}
