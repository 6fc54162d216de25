import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { patchIdOf } from '../../lib/temporal/markers.ts';
import { LOCAL_STEPS_PATCH, RATE_IN_LAST_CALL_PATCH, ROUNDS_PATCH } from '../../workflows/persona-tick.ts';
import { historyFromJson } from '../helpers/history-json.ts';
import { sharedBundle } from '../helpers/tick-env.ts';

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
  ]) {
    assert.ok(names.includes(`replay-${expected}`), `missing fixture ${expected}.json`);
  }
  const eventTypes = new Set(fixtures.flatMap((f) => f.history.events.map((e) => e.eventType)));
  assert.ok(eventTypes.size > 10, 'fixtures are real histories, not stubs');
});

/** The patch ids a history's workflow took (its `core_patch` markers). */
const patchesOf = (history: (typeof fixtures)[number]['history']) =>
  history.events.flatMap((e) => patchIdOf(e.markerRecordedEventAttributes) ?? []);

/** Which generation of the tick recorded a fixture, by its name's prefix. */
const generationOf = (workflowId: string) =>
  workflowId.startsWith('replay-tick-rate-')
    ? 'rate-in-last-call'
    : workflowId.startsWith('replay-tick-local-')
      ? 'local-steps'
      : workflowId.startsWith('replay-tick-rounds-')
        ? 'rounds'
        : 'before';

test('the fixtures cover every side of the tick patches: before tick-rounds, between each two, since tick-rate-in-last-call', () => {
  for (const { workflowId, history } of fixtures) {
    const generation = generationOf(workflowId);
    const local = generation === 'local-steps' || generation === 'rate-in-last-call';
    const patches = patchesOf(history);
    assert.deepEqual(
      [
        patches.includes(ROUNDS_PATCH),
        patches.includes(LOCAL_STEPS_PATCH),
        patches.includes(RATE_IN_LAST_CALL_PATCH),
      ],
      [generation === 'rounds', local, generation === 'rate-in-last-call'],
      workflowId,
    );
    const types = new Set(
      history.events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name),
    );
    // Before: one callTool activity per tool call; between: one callTools activity per round; since
    // tick-local-steps: login and the tool calls are local activities (markers), not activities.
    assert.deepEqual(
      [types.has('callTool'), types.has('callTools'), types.has('login')],
      [
        generation === 'before' && types.has('callTool'),
        generation === 'rounds' && types.has('callTools'),
        !local,
      ],
      workflowId,
    );
  }
  // Since tick-rate-in-last-call, a tick whose model ended its turn is rated by that model call (a
  // tick ended by a budget still rates in a `rate` activity).
  const rated = (prefix: string) =>
    fixtures
      .find((f) => f.workflowId === `replay-${prefix}parallel-tool-use-with-errors`)!
      .history.events.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'rate');
  assert.deepEqual(
    [rated('tick-local-'), rated('tick-rate-')],
    [true, false],
    'the rating moved into the last model call',
  );
  const names = fixtures.map((f) => f.workflowId);
  for (const prefix of ['tick-rounds-', 'tick-local-', 'tick-rate-'])
    for (const expected of ['scripted-tick', 'parallel-tool-use-with-errors', 'cancelled'])
      assert.ok(names.includes(`replay-${prefix}${expected}`), `missing fixture ${prefix}${expected}.json`);
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
  // Before tick-local-steps the recorded first command is `login`'s activity; since, the patch marker
  // the new code never asks for.
  const expected = {
    before: /scheduled event 'login' does not match .*'modelCall'/,
    rounds: /scheduled event 'login' does not match .*'modelCall'/,
    'local-steps': new RegExp(`patch marker encountered for change ${LOCAL_STEPS_PATCH}`),
    'rate-in-last-call': new RegExp(`patch marker encountered for change ${LOCAL_STEPS_PATCH}`),
  };
  const workflowBundle = await nondeterministicBundle();
  for (const { workflowId, history } of fixtures) {
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle, replayName: 'replay-nondeterministic' }, history, workflowId),
      (err: unknown) => {
        assert.ok(
          err instanceof DeterminismViolationError,
          `${workflowId}: expected a determinism violation, got ${String(err)}`,
        );
        assert.match(err.message, expected[generationOf(workflowId)]);
        return true;
      },
    );
  }
});
