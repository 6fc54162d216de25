// The real `personas` CLI and worker as child processes, and scratch directories, for tests: what
// they start is cleaned up when the test file ends (node:test's after()).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../lib/net/free-port.ts';
import { TEST_SECRET_ENV } from './secrets.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO_ROOT, 'scripts/bin/personas.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A Postgres URL nothing listens on: a command that should fail before the database never touches one. */
export const UNREACHABLE_DATABASE_URL = 'postgresql://nobody@127.0.0.1:9/none';

/**
 * Runs the real CLI (`node scripts/bin/personas.js …`) in a child process. The environment is the
 * caller's, minus settings that would change what the CLI does (a developer's seed secret, KEK,
 * NODE_ENV, log level), plus `env`; a value of undefined removes a variable.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    NODE_TEST_CONTEXT: undefined,
    NODE_ENV: undefined,
    // The tests' own secrets, so a CLI child agrees with the test's gateway and worker.
    ...TEST_SECRET_ENV,
    POLICY_MODE: undefined,
    LOG_LEVEL: undefined,
    DATABASE_URL: UNREACHABLE_DATABASE_URL,
    ...env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface TempDir {
  dir: string;
  write(name: string, content: unknown): Promise<string>;
  remove(): Promise<void>;
}

/** A scratch directory (for catalog files and the like), removed when the test file ends (or by remove()). */
export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-runner-test-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  after(remove);
  return {
    dir,
    async write(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
    remove,
  };
}

export interface SpawnedWorker {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs the real `personas worker` command in a child process (so a test can SIGKILL it), with the
 * given environment on top of the caller's; SIGKILLed when the test file ends. Output is kept for
 * failure messages.
 */
export async function spawnWorker(env: Record<string, string>): Promise<SpawnedWorker> {
  const child = spawn(process.execPath, ['scripts/bin/personas.js', 'worker'], {
    env: {
      ...process.env,
      ...TEST_SECRET_ENV,
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const handle: SpawnedWorker = {
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
  after(() => handle.kill('SIGKILL'));
  return handle;
}
