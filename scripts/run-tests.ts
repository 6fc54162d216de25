// `npm test`: starts one real Postgres for the whole run (DATABASE_URL's server when set, else the
// embedded one under .data/test), then runs every test file with node's test runner. Each test file
// creates and drops its own database on that server (test/helpers/db.ts).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { loadBaseConfig } from '../lib/config/base.ts';
import { startEmbeddedPostgres } from '../lib/db/embedded-postgres.ts';
import { createLogger } from '../lib/logger.ts';

const logger = createLogger('tests', 'warn');
const base = loadBaseConfig();
const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));

const embedded = base.databaseUrl
  ? undefined
  : await startEmbeddedPostgres({
      dataDir: path.join(base.dataDir, 'test'),
      port: base.embeddedPgPort + 1,
      logger,
      database: 'postgres',
    });
const adminUrl = base.databaseUrl ?? embedded!.url;

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
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    ...flags,
    ...testFiles,
  ],
  { stdio: 'inherit', env: { ...process.env, TEST_ADMIN_DATABASE_URL: adminUrl } },
);
const code: number = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await embedded?.stop();
process.exit(code);
