// CLI commands log to stderr, so their stdout (a --json summary) is only the result (lib/logger.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const logOnce = (to: 'stdout' | 'stderr') =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from './lib/logger.ts';
       createLogger('cli', 'warn', { to: '${to}' }).warn('Postgres connection lost');`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );

test("to: 'stderr' keeps stdout clean", () => {
  const r = logOnce('stderr');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /Postgres connection lost/);
});

test('servers log to stdout by default', () => {
  const r = logOnce('stdout');
  assert.match(r.stdout, /Postgres connection lost/);
});
