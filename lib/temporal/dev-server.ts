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
  readonly code = 'TEMPORAL_DEV_SERVER_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'TemporalDevServerError';
  }
}

export interface DevServerHandle {
  address: string;
  uiUrl: string | undefined;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

async function reachable(address: string): Promise<boolean> {
  try {
    const c = await Connection.connect({ address, connectTimeout: 1000 });
    await c.workflowService.getSystemInfo({});
    await c.close();
    return true;
  } catch {
    return false;
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
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));

  const deadline = Date.now() + 60_000;
  while (!(await reachable(address))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new TemporalDevServerError(
        `the Temporal dev server did not start on ${address} (${exited ? 'it exited' : 'timed out'}); see ${logFile}. ` +
          'Is the port taken? Set TEMPORAL_DEV_PORT, or TEMPORAL_ADDRESS to use a running server.',
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  opts.logger.info({ address, uiUrl, db: opts.dbFile ?? 'in-memory' }, 'Temporal dev server started');
  return {
    address,
    uiUrl,
    owned: true,
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
      log.end();
    },
  };
}
