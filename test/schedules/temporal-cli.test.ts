import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { cadenceSpec } from '../../lib/schedules/cadence.ts';
import { CATCHUP_WINDOW } from '../../lib/schedules/persona-schedule.ts';
import { findTemporalCli } from '../../lib/temporal/cli-binary.ts';
import { ARCHETYPE, CADENCE, PERSONA_ID } from '../../workflows/tick-contract.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { testLogger } from '../support/database.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { startTickEnv } from '../support/tick-env.ts';
import { waitUntil } from '../support/wait.ts';
import { requireTemporalAddress } from '../support/temporal.ts';

// The README's way to drive a persona without our CLI: the Temporal CLI alone, against the
// in-process worker of startTickEnv (scripted provider), in the default namespace.
const env = await startTickEnv();
const temporal = await findTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, logger: testLogger });
const address = requireTemporalAddress();
const id = env.personaId;
const { cron, timezone, jitter } = cadenceSpec({
  personaId: id,
  cadence: 'daily',
  timezone: 'Europe/Berlin',
});
assert.equal(DEFAULT_PERSONA.cadence, 'daily');
assert.equal(DEFAULT_PERSONA.timezone, 'Europe/Berlin');

const run = promisify(execFile);
/** Runs the Temporal CLI with explicit connection flags (no profile or TEMPORAL_* env can redirect it). */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(temporal, [...args, '--address', address, '--namespace', 'default'], {
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return stdout;
}

const scheduleId = `persona-${id}-cli`;
after(async () => {
  await env.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => {});
});

async function assertCompletedTick(workflowId: string): Promise<void> {
  const result = await env.client.workflow.getHandle<typeof personaTick>(workflowId).result();
  assert.equal(result.status, 'completed');
  const [row] = await env.query<{ status: string; persona_id: string }>(
    'SELECT status, persona_id FROM persona_ticks WHERE id = $1',
    [workflowId],
  );
  assert.deepEqual(row, { status: 'completed', persona_id: id });
}

test('temporal schedule create + trigger: the schedule starts a tick that completes', async () => {
  await cli(
    'schedule',
    'create',
    '--schedule-id',
    scheduleId,
    '--workflow-id',
    `tick-${id}-cli`,
    '--type',
    TICK_WORKFLOW,
    '--task-queue',
    env.taskQueue,
    '--input',
    JSON.stringify({ personaId: id }),
    '--cron',
    cron,
    '--time-zone',
    timezone,
    '--jitter',
    jitter,
    '--overlap-policy',
    'Skip',
    '--catchup-window',
    CATCHUP_WINDOW,
    '--search-attribute',
    `PersonaId=${JSON.stringify(id)}`,
    '--search-attribute',
    `Archetype=${JSON.stringify(DEFAULT_PERSONA.archetype)}`,
    '--search-attribute',
    `Cadence=${JSON.stringify(DEFAULT_PERSONA.cadence)}`,
  );

  // What the CLI made is what `schedules sync` makes (bar the id and memo).
  const d = await env.client.schedule.getHandle(scheduleId).describe();
  assert.equal(d.spec.timezone, timezone);
  assert.equal(d.spec.jitter, 20 * 60_000);
  const cal = d.spec.calendars?.[0];
  const [minute, hour] = cron.split(' ').map(Number);
  assert.deepEqual(
    [cal?.minute, cal?.hour],
    [[{ start: minute, end: minute, step: 1 }], [{ start: hour, end: hour, step: 1 }]],
  );
  assert.equal(d.policies.overlap, ScheduleOverlapPolicy.SKIP);
  assert.equal(d.policies.catchupWindow, 15 * 60_000);
  assert.equal(d.action.type, 'startWorkflow');
  assert.equal(d.action.workflowType, TICK_WORKFLOW);
  assert.equal(d.action.taskQueue, env.taskQueue);
  assert.deepEqual(d.action.args, [{ personaId: id }]);
  const sa = d.action.typedSearchAttributes;
  assert.ok(sa instanceof TypedSearchAttributes);
  assert.deepEqual(
    [sa.get(PERSONA_ID), sa.get(ARCHETYPE), sa.get(CADENCE)],
    [id, DEFAULT_PERSONA.archetype, DEFAULT_PERSONA.cadence],
  );
  assert.ok(d.info.nextActionTimes.length >= 5);
  assert.equal(d.info.numActionsTaken, 0, 'nothing before the trigger');

  await cli('schedule', 'trigger', '--schedule-id', scheduleId);
  const workflowId = await waitUntil(async () => {
    for await (const wf of env.client.workflow.list({
      query: `WorkflowType = '${TICK_WORKFLOW}' AND PersonaId = '${id}' AND TemporalScheduledById = '${scheduleId}'`,
    }))
      return wf.workflowId;
    return undefined;
  }, 'the triggered tick was listed under its PersonaId');
  assert.ok(workflowId.startsWith(`tick-${id}-cli-`), workflowId);
  await assertCompletedTick(workflowId);

  await cli('schedule', 'delete', '--schedule-id', scheduleId);
  await assert.rejects(env.client.schedule.getHandle(scheduleId).describe(), ScheduleNotFoundError);
});

test('temporal workflow start: a one-off tick completes', async () => {
  const workflowId = `tick-${id}-cli-manual`;
  await cli(
    'workflow',
    'start',
    '--type',
    TICK_WORKFLOW,
    '--task-queue',
    env.taskQueue,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify({ personaId: id }),
    '--search-attribute',
    `PersonaId=${JSON.stringify(id)}`,
  );
  await assertCompletedTick(workflowId);
  const desc = await env.client.workflow.getHandle(workflowId).describe();
  assert.equal(desc.typedSearchAttributes.get(PERSONA_ID), id);
  // Started with PersonaId only: the workflow fills in the attributes its starter left out.
  assert.ok(desc.typedSearchAttributes.get(ARCHETYPE), 'Archetype upserted by the tick');
  assert.ok(desc.typedSearchAttributes.get(CADENCE), 'Cadence upserted by the tick');
});
