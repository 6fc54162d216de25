import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../lib/net/free-port.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const run = promisify(execFile);

/** PATH without any directory holding a `temporal` binary: the clone must find or install its own. */
function pathWithoutTemporal(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => {
      try {
        accessSync(path.join(dir, 'temporal'), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(path.delimiter);
}

function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test(
  'a fresh clone, with no DATABASE_URL, no TEMPORAL_ADDRESS and no temporal on PATH, installs and runs `personas up --once --json`',
  { timeout: 20 * 60_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'persona-runner-clone-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    // mkdtemp makes a 0700 directory; a checkout normally lives somewhere others may traverse, which
    // the embedded Postgres needs when run as root (it then runs as the postgres user).
    chmodSync(dir, 0o755);
    // The committed HEAD, exactly as a newcomer gets it.
    await run('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, dir], { timeout: 120_000 });

    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutTemporal(), CI: 'true' };
    for (const k of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_CLI_PATH',
      'TEST_ADMIN_DATABASE_URL',
      'ANTHROPIC_API_KEY',
      'PERSONA_DATA_DIR',
      'NODE_ENV',
    ])
      delete env[k];
    // Free ports only so this test cannot collide with a stack running on the defaults; the
    // variables are the documented ones.
    Object.assign(env, {
      GATEWAY_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
    });

    // The README's install command.
    const install = await runCommand('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: dir,
      env,
      timeoutMs: 10 * 60_000,
    });
    assert.equal(install.code, 0, `npm ci failed:\n${install.stderr.slice(-3000)}`);

    const up = await runCommand(process.execPath, ['scripts/bin/personas.js', 'up', '--once', '--json'], {
      cwd: dir,
      env,
      timeoutMs: 10 * 60_000,
    });
    assert.equal(up.code, 0, `personas up --once failed (exit ${up.code}):\n${up.stderr.slice(-4000)}`);
    const summary = JSON.parse(up.stdout) as {
      ok: boolean;
      ticks: number;
      byStatus: Record<string, number>;
      actions: number;
      ratingsPerModule: Record<string, { mean: number; n: number }>;
      provider: string;
    };
    assert.equal(summary.ok, true);
    assert.equal(summary.provider, 'scripted');
    assert.ok(summary.ticks >= 10, `only ${summary.ticks} ticks`);
    assert.equal(summary.byStatus.completed, summary.ticks);
    assert.ok(summary.actions >= summary.ticks, 'the personas used the product');
    assert.ok(Object.keys(summary.ratingsPerModule).length >= 3, 'ratings for several modules');
    // It installed the Temporal CLI project-locally, as documented.
    accessSync(path.join(dir, '.venv', 'bin', 'temporal'), constants.X_OK);
  },
);
