// node:test wrapper of test/support/cli.ts's spawnWorker: the child is SIGKILLed when the file ends.
import { after } from 'node:test';
import { spawnWorker as spawn, type SpawnedWorker } from '../support/cli.ts';

/**
 * Runs the real `personas worker` command in a child process (so a test can SIGKILL it), with the
 * given environment on top of the test's. Output is kept for failure messages.
 */
export async function spawnWorker(env: Record<string, string>): Promise<SpawnedWorker> {
  const handle = await spawn(env);
  after(() => handle.kill('SIGKILL'));
  return handle;
}
