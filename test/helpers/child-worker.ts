import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { freePort } from '../../lib/net/free-port.ts';
import { TEST_SECRET_ENV } from './secrets.ts';

/**
 * Runs the real `personas worker` command in a child process (so a test can SIGKILL it), with the
 * given environment on top of the test's. Output is kept for failure messages.
 */
export async function spawnWorker(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string; kill(signal?: NodeJS.Signals): Promise<void> }> {
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
  const handle = {
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
