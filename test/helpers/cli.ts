import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
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
 * test's, minus settings that would change what the CLI does (a developer's seed secret, KEK,
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

/** A scratch directory for catalog files, removed when the test file ends. */
export async function tempDir(): Promise<{
  dir: string;
  write(name: string, content: unknown): Promise<string>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'persona-runner-test-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return {
    dir,
    async write(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
  };
}
