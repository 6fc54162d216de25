// `personas replay` against real tick histories on the Temporal server: they replay against today's
// workflow code, and a deliberately incompatible bundle is reported per workflow with the first
// diverging event, exit 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTick } from '../../lib/ticks/start-tick.ts';
import { RETIRED_PATCHES } from '../../workflows/tick-steps.ts';
import { runCli } from '../support/cli.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { startTickEnv } from '../support/tick-env.ts';

const env = await startTickEnv();
const subject = { personaId: env.personaId, ...DEFAULT_PERSONA };
const ticks = await Promise.all([0, 1].map(() => startTick(env.client, subject, env.taskQueue)));
await Promise.all(ticks.map((t) => t.result()));
const ids = ticks.map((t) => t.workflowId);

interface Report {
  ok: boolean;
  replayed: number;
  failed: number;
  outcomes: Array<{
    workflowId: string;
    ok: boolean;
    kind?: string;
    event?: { id: number; type: string; detail?: string };
    message?: string;
  }>;
}
const replay = async (...args: string[]) => {
  const r = await runCli(['replay', ...args]);
  return { ...r, report: (args.includes('--json') && r.stdout ? JSON.parse(r.stdout) : undefined) as Report };
};

test('histories of the current code replay: by workflow id, and the recent ones', async () => {
  const byId = await replay('--workflow', ...ids, '--json');
  assert.equal(byId.code, 0, byId.stderr);
  assert.equal(byId.report.replayed, 2);
  assert.deepEqual(
    byId.report.outcomes.map((o) => [o.workflowId, o.ok]),
    ids.map((id) => [id, true]),
  );

  // Only this file's persona: other test files share the server, some with encrypted histories.
  const recent = await replay('--since', '1h', '--persona', env.personaId, '--limit', '50', '--json');
  assert.equal(recent.code, 0, recent.stderr);
  const seen = recent.report.outcomes.map((o) => o.workflowId);
  for (const id of ids) assert.ok(seen.includes(id), `${id} is among the recent ticks`);
  assert.equal(seen.length, ids.length, 'no other persona’s ticks');
});

test('an incompatible workflow bundle fails with the workflow id and the first diverging event', async () => {
  const nd = 'test/fixtures/nondeterministic-workflows/index.ts';
  const r = await replay('--workflow', ids[0]!, '--workflows', nd, '--json');
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.report.failed, 1);
  const [o] = r.report.outcomes;
  assert.equal(o!.workflowId, ids[0]);
  assert.equal(o!.kind, 'nondeterminism');
  // The extra activity is scheduled where the recorded history has the tick's first commands: the
  // (deprecated) marker of the first retired patch, then login's local activity, which the changed
  // code never reaches.
  assert.equal(o!.event?.type, 'MarkerRecorded');
  assert.equal(o!.event?.detail, `patch ${RETIRED_PATCHES[0]}`);
  assert.match(o!.message ?? '', /Nondeterminism error: .*LocalActivity/);

  const human = await replay('--workflow', ids[0]!, '--workflows', nd);
  assert.equal(human.code, 1);
  assert.match(
    human.stdout,
    new RegExp(
      `✗ ${ids[0]}: nondeterminism at event ${o!.event!.id} \\(MarkerRecorded patch ${RETIRED_PATCHES[0]}\\)`,
    ),
  );
  assert.match(human.stdout, /0\/1 tick histories replay/);
});

test('bad flags are usage errors (exit 2)', async () => {
  for (const args of [
    ['--since', '0h'],
    ['--since', 'yesterday'],
    ['--limit', '0'],
    ['--workflows', 'nope.ts'],
    ['--persona', 'maya'],
    ['--timeout', '0'],
  ]) {
    const r = await runCli(['replay', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});
