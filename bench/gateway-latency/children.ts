// The servers of bench/gateway-latency.ts and bench/federation.ts as child processes (the gateway runs
// as its own process in production too): started, awaited until they say they are ready, stopped.
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
  /** With --shared-limits-twin: the same gateway with GATEWAY_LIMITS_STORE=postgres (same process, database, users). */
  sharedLimitsMcpUrl?: string;
  pid: number;
  /** Bearer tokens of the seeded readers and writers, and who they are (same order). */
  readers: string[];
  writers: string[];
  readerUsers: BenchUser[];
  writerUsers: BenchUser[];
  /** The scratch database, for the same-SQL server. */
  databaseUrl: string;
}

/**
 * Spawns `node nodeArgs…` in the project directory and resolves once `readyFrom` finds its ready
 * value in a line of its output (stdout or stderr); the other lines are kept as its log's tail.
 */
export async function spawnChild<T>(
  name: string,
  nodeArgs: string[],
  opts: { readyFrom: (line: string) => T | undefined; env?: NodeJS.ProcessEnv; verbose?: boolean },
): Promise<Child<T>> {
  const proc = spawn(process.execPath, nodeArgs, {
    cwd: PROJECT_DIR,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logTail: string[] = [];
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 180 s`)), 180_000);
    let isReady = false;
    const onLine = (line: string) => {
      const value = isReady ? undefined : opts.readyFrom(line);
      if (value !== undefined) {
        isReady = true;
        clearTimeout(timer);
        return resolve(value);
      }
      if (opts.verbose) process.stderr.write(`[${name}] ${line}\n`);
      logTail.push(line);
      if (logTail.length > 40) logTail.shift();
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code}):\n${logTail.join('\n')}`));
    });
  });
  return { name, proc, ready, logTail };
}

/** A bench server (`--import tsx script args…`) that prints its `{"benchReady":true,…}` line when ready. */
export function spawnServer<T>(
  name: string,
  script: string,
  args: string[],
  opts: { nodeFlags?: string[]; env?: NodeJS.ProcessEnv; verbose?: boolean } = {},
): Promise<Child<T>> {
  return spawnChild<T>(name, [...(opts.nodeFlags ?? []), '--import', 'tsx', script, ...args], {
    ...opts,
    readyFrom: (line) => (line.startsWith('{"benchReady":true') ? (JSON.parse(line) as T) : undefined),
  });
}

export async function stopServer(child: Child<unknown> | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
