// test/support/exit-guard.mjs: a file whose process exits 0 while a test is pending must fail, not pass.
// Each case runs node's test runner on a fixture in a child process, with and without the guard.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const run = (fixture: string, guarded: boolean) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(guarded ? ['--import', './test/support/exit-guard.mjs'] : []),
      '--test',
      '--test-reporter=tap',
      `test/fixtures/exit-guard/${fixture}.fixture.ts`,
    ],
    // Without the runner's own marker, which would make the child report to this process's runner.
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );

test('without the guard, a pending test in a process that exits 0 is reported as passing (the fault)', () => {
  const r = run('pending', false);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /# fail 0/);
});

test('with the guard, the same file fails and says why', () => {
  const r = run('pending', true);
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stdout + r.stderr, /while this file's tests were still running/);
});

test('with the guard, a file whose tests finish still passes', () => {
  const r = run('finishes', true);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /# pass 1/);
});
