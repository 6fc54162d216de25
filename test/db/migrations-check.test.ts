// `npm run db:check` keeps the committed migrations in step with the schema: it passes on the
// repository as it is, and fails, naming what `db:generate` would write, for a schema changed without
// a migration.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const check = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-migrations.ts', ...args], {
    encoding: 'utf8',
  });

test('the committed migrations match the schema', () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /migrations match the schema/);
});

test('a table without a migration fails the check with the SQL db:generate would write', () => {
  const r = check('--schema', './test/fixtures/drifted-schema/index.ts');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /CREATE TABLE "drift_probe"/);
  assert.match(r.stderr, /npm run db:generate/);
});
