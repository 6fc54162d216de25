// Driving a running tick with Temporal's own CLI, exactly as the README documents it: `temporal
// workflow signal --name pause|resume`, `temporal workflow query --type status` and `temporal
// workflow cancel`. The worker answers the query while the tick runs (no restart involved).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { findTemporalCli } from '../../lib/temporal/cli-binary.ts';
import type { TickStatus } from '../../workflows/tick-contract.ts';
import { testLogger } from '../support/database.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';

const { fake, env } = await startClaudeTickEnv({ apiKey: 'sk-ant-test-cli' });
const temporalBin = await findTemporalCli({
  explicitPath: process.env.TEMPORAL_CLI_PATH,
  logger: testLogger,
});
const run = promisify(execFile);
/** The Temporal CLI with explicit connection flags (no profile or TEMPORAL_* env can redirect it). */
async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(
    temporalBin,
    [...args, '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', 'default'],
    { timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  return stdout;
}
async function queryStatus(workflowId: string): Promise<TickStatus> {
  const out = await temporal(
    'workflow',
    'query',
    '--workflow-id',
    workflowId,
    '--type',
    'status',
    '-o',
    'json',
  );
  const body = JSON.parse(out) as { queryResult: [TickStatus] };
  return body.queryResult[0];
}
const todoTurn = (id: string) => toolTurn(toolUse(id, 'todo_create', { title: `Task ${id}` }));

test('temporal workflow signal pause / query status / signal resume on a running tick', async () => {
  const before = fake.requests.length;
  const answer = gate();
  fake.push(
    { ...todoTurn('toolu_cli_a'), until: answer.promise },
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'paused from the Temporal CLI' } }),
  );
  const handle = await env.start();
  try {
    await waitUntil(() => fake.requests.length > before, 'the first model call is in flight');
    await temporal('workflow', 'signal', '--workflow-id', handle.workflowId, '--name', 'pause');
    const mid = await queryStatus(handle.workflowId);
    assert.deepEqual([mid.paused, mid.phase, mid.round], [true, 'main', 0]);
  } finally {
    answer.open();
  }
  // The model's answer arrives; the tool call it asked for waits for resume.
  const paused = await waitUntil(async () => {
    const s = await queryStatus(handle.workflowId);
    return s.round === 1 ? s : undefined;
  }, 'the held model call completed');
  assert.deepEqual([paused.paused, paused.actions], [true, 0]);

  await temporal('workflow', 'signal', '--workflow-id', handle.workflowId, '--name', 'resume');
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  assert.equal(result.actions, 1);
  const done = await queryStatus(handle.workflowId);
  assert.deepEqual([done.phase, done.paused, done.actions], ['done', false, 1]);
});

test('temporal workflow cancel: the tick persists what it did and ends cancelled', async () => {
  const before = fake.requests.length;
  const answer = gate();
  fake.push(todoTurn('toolu_cli_c'), { ...endTurn(), until: answer.promise });
  const handle = await env.start();
  try {
    await waitUntil(() => fake.requests.length >= before + 2, 'the second model call is in flight');
    await temporal('workflow', 'cancel', '--workflow-id', handle.workflowId);
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
      return true;
    });
  } finally {
    answer.open();
  }
  const [row] = await env.query<{ status: string; tool_calls: number }>(
    'SELECT status, tool_calls FROM persona_ticks WHERE id = $1',
    [handle.workflowId],
  );
  assert.deepEqual(row, { status: 'cancelled', tool_calls: 1 });
});
