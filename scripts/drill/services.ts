import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';

/**
 * One service of the drill's stack as a child process that can be SIGKILLed and started again with
 * the same command and environment. Output goes to <dir>/<name>.log (kept for post-mortems).
 */
export class Service {
  private child: ChildProcess | undefined;
  private readonly log;
  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    dir: string,
  ) {
    this.log = createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' });
  }

  start(): void {
    const child = spawn(this.command, this.args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`drill: ${what} did not come up within ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}

export const temporalUp = (address: string) => async () => {
  const c = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await c.workflowService.getSystemInfo({});
    return true;
  } finally {
    await c.close();
  }
};

export const httpUp = (url: string) => async () => (await fetch(url)).ok;

/** The Temporal dev server on a SQLite file, so a SIGKILLed server restarts with its state. */
export function temporalService(cliPath: string, port: number, dbFile: string, dir: string): Service {
  return new Service(
    'temporal',
    cliPath,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--headless',
      '--log-level',
      'warn',
      '--db-filename',
      dbFile,
      ...SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
    ],
    {},
    dir,
  );
}

/** `personas <command>` (gateway or worker) with the drill's environment. */
export function personasService(
  command: 'gateway' | 'worker',
  env: Record<string, string>,
  dir: string,
  name: string = command,
) {
  return new Service(name, process.execPath, ['scripts/bin/personas.js', command], env, dir);
}
