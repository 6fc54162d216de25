// `npm test`: starts one real Postgres (DATABASE_URL's server when set, else an embedded one) and one
// Temporal dev server (TEMPORAL_ADDRESS when set, else in memory) for the whole run, then runs every
// test file with node's test runner. Each test file creates and drops its own database on that
// server (test/support/database.ts) and uses its own task queues.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { freePort } from '../lib/net/free-port.ts';
import { loadBaseConfig } from '../lib/config/base.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres.ts';
import { createLogger } from '../lib/logger.ts';
import { parseEnv } from '../lib/config/env.ts';
import { temporalEnvShape, toTemporalConfig } from '../lib/temporal/config.ts';
import { resolveTemporal } from '../lib/temporal/connect.ts';

const logger = createLogger('tests', 'warn');
const base = loadBaseConfig();
const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));

// Each run gets its own servers on free ports and its own data directory, so two runs at once
// (two terminals, a developer and CI) never share, or stop, each other's Postgres or Temporal.
const runDir = path.join(base.dataDir, 'test', `run-${process.pid}`);
const embedded = base.databaseUrl
  ? undefined
  : await startEmbeddedPostgres({ dataDir: runDir, port: await freePort(), logger, database: 'postgres' });
const adminUrl = base.databaseUrl ?? embedded!.url;

// Temporal: TEMPORAL_ADDRESS when set, else an in-memory, headless dev server on its own port,
// found or installed exactly as `personas up` does it.
const temporalConfig = toTemporalConfig(parseEnv(temporalEnvShape, process.env, 'tests'));
const temporal = await resolveTemporal(
  { ...temporalConfig, devPort: await freePort() },
  { dataDir: runDir, logger, inMemory: true, headless: true },
);

// The compose test needs the Compose v2 CLI. Where the docker client has no compose plugin (these
// machines), it is reported as skipped with this notice rather than failing every run.
if (!process.env.DOCKER_COMPOSE && !process.env.SKIP_DOCKER_TESTS) {
  const probe = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 20_000 });
  if (probe.status !== 0) {
    process.stderr.write(
      "tests: no 'docker compose' here: test/compose is skipped (set DOCKER_COMPOSE to a Compose v2 CLI to run it)\n",
    );
    process.env.SKIP_DOCKER_TESTS = '1';
  }
}

if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  process.stderr.write(
    'tests: no Chromium here: the browser tests in test/dashboard/browser.test.ts are skipped (apt install chromium, or set CHROMIUM_PATH)\n',
  );
}

const testFiles = files.length
  ? files
  : readdirSync('test', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join('test', f))
      .sort();
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    // A file whose process exits while its tests still run fails instead of passing unrun.
    '--import',
    './test/support/exit-guard.mjs',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    // A hung test fails on its own instead of stalling the run until CI kills it.
    `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 600_000}`,
    ...flags,
    ...testFiles,
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, TEST_ADMIN_DATABASE_URL: adminUrl, TEMPORAL_ADDRESS: temporal.address },
  },
);
// And a hang outside any test (a file's top-level setup) ends the whole run with a clear message.
const runLimitMs = Number(process.env.TEST_RUN_TIMEOUT_MS ?? 50 * 60_000);
const watchdog = setTimeout(() => {
  process.stderr.write(`tests: the run exceeded ${runLimitMs / 60_000} min (TEST_RUN_TIMEOUT_MS); stopping it\n`);
  child.kill('SIGKILL');
}, runLimitMs);
const code: number = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
clearTimeout(watchdog);
await temporal.stop();
await embedded?.stop();
await rm(runDir, { recursive: true, force: true });
process.exit(code);
