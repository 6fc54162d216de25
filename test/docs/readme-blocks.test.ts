import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '../../lib/net/free-port.ts';
import { REPO_ROOT, tempDir } from '../support/cli.ts';
import { fencedBlocks, type FencedBlock } from '../support/markdown-blocks.ts';
import { TEST_SECRET_ENV } from '../support/secrets.ts';

// The README is the user's manual, so its commands must work as written. Every shell block is either
// marked `bash runnable` — run here, in order, in one scratch directory, exactly as a reader would
// paste it (with `personas` on the PATH, scripted personas, and — as on a reader's machine — the
// embedded Postgres and Temporal dev server the CLI starts itself, on free ports) — or
// says on the line before it which test runs it (`<!-- covered by test/… -->`) or why no test can
// (`<!-- not run: … -->`, e.g. it needs the reader's own cluster).
const README = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SHELL = new Set(['bash', 'sh', 'shell', 'console']);
const shellBlocks = fencedBlocks(README).filter((b) => SHELL.has(b.lang));
const runnable = shellBlocks.filter((b) => b.flags.includes('runnable'));
const BLOCK_TIMEOUT_MS = 5 * 60_000;

test('every shell block in the README is run here, covered by a named test, or says why not', () => {
  const problems: string[] = [];
  for (const b of shellBlocks) {
    if (b.flags.includes('runnable')) continue;
    const covered = /^covered by (test\/\S+\.test\.ts)\b/.exec(b.note ?? '')?.[1];
    if (covered && !existsSync(path.join(REPO_ROOT, covered)))
      problems.push(`line ${b.line}: ${covered} does not exist`);
    else if (!covered && !/^not run: \S/.test(b.note ?? ''))
      problems.push(
        `line ${b.line}: neither runnable, nor "<!-- covered by test/… -->", nor "<!-- not run: why -->"`,
      );
  }
  assert.deepEqual(problems, []);
  assert.ok(runnable.length >= 4, `only ${runnable.length} runnable blocks`);
});

describe('the README runnable blocks', async () => {
  const work = await tempDir();
  // Run as root (CI), the embedded Postgres runs as `postgres`, which must be able to enter the dir.
  await chmod(work.dir, 0o711);
  // What a reader has in the clone after `npm ci` (the dependencies, the CLI, the catalog), and
  // `personas` on the PATH; what the blocks write stays in the scratch directory.
  for (const entry of ['node_modules', 'scripts', 'catalog.json'])
    await symlink(path.join(REPO_ROOT, entry), path.join(work.dir, entry));
  const bin = path.join(work.dir, '.bin');
  await mkdir(bin);
  const shim = path.join(bin, 'personas');
  await writeFile(
    shim,
    `#!/bin/sh\nexec "${process.execPath}" "${REPO_ROOT}/scripts/bin/personas.js" "$@"\n`,
  );
  await chmod(shim, 0o755);
  const env = {
    ...process.env,
    ...TEST_SECRET_ENV,
    NODE_TEST_CONTEXT: undefined,
    NODE_ENV: undefined,
    LOG_LEVEL: undefined,
    ANTHROPIC_API_KEY: undefined,
    PATH: `${bin}:${process.env.PATH}`,
    DATABASE_URL: undefined,
    TEMPORAL_ADDRESS: undefined,
    TEST_ADMIN_DATABASE_URL: undefined,
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LLM_PROVIDER: 'scripted',
    GATEWAY_PORT: String(await freePort()),
    DASHBOARD_PORT: '0',
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_SDK_METRICS_PORT: String(await freePort()),
    WORKER_CODEC_PORT: String(await freePort()),
  };

  for (const block of runnable) {
    test(`README line ${block.line}: ${firstCommand(block)}`, async () => {
      const run = await runBash(block.code, work.dir, env, BLOCK_TIMEOUT_MS);
      assert.equal(run.code, 0, `exit ${run.code}:\n${run.output.slice(-4000)}`);
    });
  }
});

function firstCommand(block: FencedBlock): string {
  return block.code
    .split('\n')
    .find((l) => l.trim() && !l.startsWith('#'))!
    .slice(0, 80);
}

/** Runs `code` with bash; past `timeoutMs` its process group is killed and the output so far returned. */
function runBash(
  code: string,
  cwd: string,
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', code], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs / 1000} s]`;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c, output });
    });
  });
}
