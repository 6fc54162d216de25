// The two servers of bench/gateway-latency.ts as child processes (the gateway runs as its own process
// in production too): started, awaited until they print their `{"benchReady":true,…}` line, stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_DIR } from '../bench-report.ts';

export interface Child<T> {
  name: string;
  proc: ChildProcess;
  ready: T;
  logTail: string[];
}

export interface BareReady {
  mcpUrl: string;
  pid: number;
}

export interface BenchUser {
  userId: string;
  personalSpaceId: string;
}

export interface GatewayReady {
  mcpUrl: string;
  pid: number;
  /** Bearer tokens of the seeded readers and writers, and who they are (same order). */
  readers: string[];
  writers: string[];
  readerUsers: BenchUser[];
  writerUsers: BenchUser[];
  /** The scratch database, for the same-SQL server. */
  databaseUrl: string;
}

export async function spawnServer<T>(
  name: string,
  script: string,
  args: string[],
  opts: { nodeFlags?: string[]; verbose?: boolean } = {},
): Promise<Child<T>> {
  const proc = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', script, ...args], {
    cwd: PROJECT_DIR,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logTail: string[] = [];
  const keep = (line: string) => {
    if (opts.verbose) process.stderr.write(`[${name}] ${line}\n`);
    logTail.push(line);
    if (logTail.length > 40) logTail.shift();
  };
  createInterface({ input: proc.stderr! }).on('line', keep);
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 180 s`)), 180_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith('{"benchReady":true')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      } else keep(line);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code}):\n${logTail.join('\n')}`));
    });
  });
  return { name, proc, ready, logTail };
}

export async function stopServer(child: Child<unknown> | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
