import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { patchIdOf } from '../../lib/temporal/markers.ts';
import { GOALS_PATCH, RETIRED_PATCHES } from '../../workflows/tick-steps.ts';
import { historyFromJson } from '../support/history-json.ts';
import { sharedBundle } from '../support/tick-worker.ts';

// Replays every committed history (test/fixtures/histories, recorded from real ticks by
// scripts/record-histories.ts) against today's workflow code: a change that would break ticks
// running at deploy time fails here. No server needed: replay runs the workflow code only.
const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const historiesDir = path.join(fixturesDir, 'histories');
const fixtures = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    workflowId: `replay-${path.basename(f, '.json')}`,
    history: historyFromJson(JSON.parse(readFileSync(path.join(historiesDir, f), 'utf8'))),
  }));

test('the fixtures cover the tick’s paths', () => {
  const names = fixtures.map((f) => f.workflowId);
  for (const expected of [
    'scripted-tick',
    'parallel-tool-use-with-errors',
    'paused-and-resumed',
    'cancelled',
    'budget-tool-calls',
    'failed-bad-request',
  ]) {
    for (const generation of ['tick-rate-', 'tick-goals-'])
      assert.ok(
        names.includes(`replay-${generation}${expected}`),
        `missing fixture ${generation}${expected}.json`,
      );
  }
  assert.ok(names.includes('replay-tick-goals-scripted-goals'), 'a tick with goals');
  const eventTypes = new Set(fixtures.flatMap((f) => f.history.events.map((e) => e.eventType)));
  assert.ok(eventTypes.size > 10, 'fixtures are real histories, not stubs');
});

/** The patch ids a history's workflow took (its `core_patch` markers). */
const patchesOf = (history: (typeof fixtures)[number]['history']) =>
  history.events.flatMap((e) => patchIdOf(e.markerRecordedEventAttributes) ?? []);

test('the fixtures are of the current generation: the retired patches’ markers, login and tool calls as local activities', () => {
  for (const { workflowId, history } of fixtures) {
    const patches = patchesOf(history);
    for (const id of RETIRED_PATCHES) assert.ok(patches.includes(id), `${workflowId}: marker of ${id}`);
    const types = new Set(
      history.events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name),
    );
    assert.deepEqual(
      [types.has('login'), types.has('callTool'), types.has('callTools'), types.has('modelCall')],
      [false, false, false, true],
      workflowId,
    );
  }
  // A tick whose model ended its turn is rated by that model call (one ended by a budget still
  // rates in a `rate` activity).
  // The goal step is behind its patch: only the tick with goals asked it, and ran one local activity.
  const goals = fixtures.find((f) => f.workflowId === 'replay-tick-goals-scripted-goals')!;
  assert.ok(patchesOf(goals.history).includes(GOALS_PATCH));
  for (const f of fixtures.filter((x) => x !== goals))
    assert.ok(!patchesOf(f.history).includes(GOALS_PATCH), f.workflowId);
  const rated = (scenario: string) =>
    fixtures
      .find((f) => f.workflowId === `replay-tick-rate-${scenario}`)!
      .history.events.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'rate');
  assert.deepEqual([rated('parallel-tool-use-with-errors'), rated('budget-tool-calls')], [false, true]);
});

test('every committed history replays against the current workflow bundle', async () => {
  const workflowBundle = await sharedBundle();
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: 'replay-test' }, fixtures)) {
    results.push(r);
  }
  assert.equal(results.length, fixtures.length);
  for (const r of results) assert.equal(r.error, undefined, `${r.workflowId}: ${String(r.error)}`);
});

let variant: Promise<WorkflowBundleWithSourceMap> | undefined;
const nondeterministicBundle = () =>
  (variant ??= bundleWorkflowCode({
    workflowsPath: path.join(fixturesDir, 'nondeterministic-workflows/index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  }));

test('a non-deterministic change (an extra activity before login) is caught on every history', async () => {
  // The changed code schedules an activity where every history has the tick's first commands.
  const workflowBundle = await nondeterministicBundle();
  for (const { workflowId, history } of fixtures) {
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle, replayName: 'replay-nondeterministic' }, history, workflowId),
      (err: unknown) => {
        assert.ok(
          err instanceof DeterminismViolationError,
          `${workflowId}: expected a determinism violation, got ${String(err)}`,
        );
        // The old generation recorded the patch as `patched()` (the changed code meets its marker first);
        // today's records it deprecated, which replay passes over, and meets login's local activity.
        assert.match(
          err.message,
          workflowId.startsWith('replay-tick-rate-')
            ? new RegExp(`patch marker encountered for change ${RETIRED_PATCHES[0]}`)
            : /Missing associated machine for LocalActivity/,
        );
        return true;
      },
    );
  }
});
