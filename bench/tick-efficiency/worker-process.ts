// Tick workers in processes of their own (worker-child.ts) for scenario (b): with two of them the
// second has cores of its own to compete for, as a second `personas worker` would; one of them is
// measured the same way, so one and two workers compare like for like. They poll one task queue.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../../test/support/stack.ts';
import { sharedBundle } from '../../test/support/tick-worker.ts';
import type { ChildSample, ChildSettings } from './worker-child.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-child.ts');

/** The workflow bundle written once to a file the children load (no webpack build per child). */
async function bundleFile(): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-tick-bundle-'));
  const file = path.join(dir, 'workflow-bundle.json');
  await writeFile(file, JSON.stringify(await sharedBundle()));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

function ask<T>(child: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`worker process exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
    child.send(msg);
  });
}

export type WorkerProcesses = Awaited<ReturnType<typeof startWorkerProcesses>>;

export async function startWorkerProcesses(
  stack: Stack,
  gatewayUrl: string,
  databaseUrl: string,
  count: number,
) {
  const bundle = await bundleFile();
  const taskQueue = `bench-${randomUUID()}`;
  const settings: ChildSettings = {
    temporalAddress: stack.temporal.address,
    namespace: stack.temporal.namespace,
    databaseUrl,
    gatewayUrl,
    taskQueue,
    bundleFile: bundle.file,
  };
  const children = Array.from({ length: count }, () =>
    fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PR_BENCH_WORKER: JSON.stringify(settings) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.send('stop');
            setTimeout(() => c.kill('SIGKILL'), 20_000).unref();
          }),
      ),
    );
    await bundle.remove();
  };
  try {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            c.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
            c.once('exit', (code) => reject(new Error(`worker process exited before ready (${code})`)));
          }),
      ),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    taskQueue,
    pids: children.map((c) => c.pid),
    /** Peak resident memory starts again from the current one. */
    reset: () => Promise.all(children.map((c) => c.send('reset'))),
    /** Each worker's peak and current resident memory and CPU time so far. */
    sample: () => Promise.all(children.map((c) => ask<ChildSample>(c, 'sample'))),
    stop,
  };
}
