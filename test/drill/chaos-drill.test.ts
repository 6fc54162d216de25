import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The short chaos drill as an operator runs it: its own Temporal dev server, gateway(s) and worker as
// child processes, each SIGKILLed during the run, and Postgres cut for 10 s. The drill verifies
// from Temporal and Postgres; this test holds it to its JSON summary.
async function shortDrill(args: string[] = []) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/drill/main.ts', '--short', '--json', ...args],
    {
      // npm test's Postgres server (embedded or DATABASE_URL's): the drill makes its own database on it.
      env: {
        ...process.env,
        DATABASE_URL: process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL,
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    // A failed drill exits 1 with its summary on stdout: show it and the progress log.
    assert.fail(`drill failed:\n${err.stdout ?? ''}\n${(err.stderr ?? '').slice(-4000)}`);
  });
  const s = JSON.parse(stdout.trim().split('\n').at(-1)!);
  assert.equal(s.ok, true, JSON.stringify(s.violations));
  assert.equal(s.completedInTemporal, s.ticks);
  assert.equal(s.completedInPostgres, s.ticks);
  assert.ok(s.ticks >= 3 && s.ticks <= 5);
  assert.ok(s.okActions > 0, 'the personas acted');
  assert.equal(s.duplicateActions, 0);
  for (const w of Object.values(s.productWrites) as Array<{ rows: number; okActions: number }>)
    assert.equal(w.rows, w.okActions);
  assert.equal(s.lostToolCalls, 0);
  assert.equal(s.infraActions, 0);
  assert.equal(s.misclassifiedActions, 0);
  assert.equal(s.kills.length, 5, 'one worker, gateway, Temporal and Postgres fault (and the recovery)');
  assert.ok(
    Object.values(s.faultsInjected).every((n) => Number(n) > 0),
    'every model fault kind was injected',
  );
  return s as { gateways: number; gatewayRequests?: number[]; kills: string[] };
}

test(
  'npm run drill --short: every tick completes, nothing duplicated, lost or misclassified',
  { timeout: 300_000 },
  async () => {
    await shortDrill();
  },
);

// Issue 23: two gateways behind a round-robin proxy, one of them SIGKILLed mid-run.
test(
  'npm run drill --short --gateways 2: the same with one of two load-balanced gateways killed',
  { timeout: 300_000 },
  async () => {
    const s = await shortDrill(['--gateways', '2']);
    assert.equal(s.gateways, 2);
    assert.ok(s.kills.includes('SIGKILL gateway-1, restart in 10s'));
    assert.ok(s.gatewayRequests!.every((n) => n > 0), `both gateways served: ${s.gatewayRequests!.join(', ')}`);
  },
);
