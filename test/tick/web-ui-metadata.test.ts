// What the Temporal Web UI shows of a tick, read back through the client (not only that it was sent):
// the static summary and details of the workflow and of a schedule's ticks, a summary per activity
// in the event history, the live "current details", and the signal/query names its forms offer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { personaScheduleOptions } from '../../lib/schedules/persona-schedule.ts';
import { startTick } from '../../lib/ticks/start-tick.ts';
import { pauseSignal, resumeSignal, statusQuery } from '../../workflows/tick-contract.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { startTickEnv } from '../support/tick-env.ts';
import { waitUntil } from '../support/wait.ts';

const env = await startTickEnv();
const subject = {
  personaId: env.personaId,
  email: DEFAULT_PERSONA.email,
  displayName: DEFAULT_PERSONA.displayName,
  archetype: DEFAULT_PERSONA.archetype,
  cadence: DEFAULT_PERSONA.cadence,
  timezone: DEFAULT_PERSONA.timezone,
  moduleMix: DEFAULT_PERSONA.moduleMix,
};

type Metadata = temporal.api.sdk.v1.IWorkflowMetadata;
const metadataOf = (h: { query: (name: string) => Promise<unknown> }) =>
  h.query('__temporal_workflow_metadata') as Promise<Metadata>;
const summaryOf = (p: Payload | null | undefined) =>
  p ? defaultPayloadConverter.fromPayload<string>(p) : undefined;

test('a tick carries a static summary and Markdown details: persona, products, budgets, origin', async () => {
  const handle = await startTick(env.client, subject, env.taskQueue);
  await handle.result();
  const desc = await handle.describe();
  assert.equal(await desc.staticSummary(), 'Sam (solo-dev) · manual tick');
  const details = (await desc.staticDetails()) ?? '';
  assert.match(details, /\*\*Sam\*\* · solo-dev · daily in Europe\/Berlin/);
  assert.ok(details.includes(`\`${env.personaId}\` (sam@personas.test)`), details);
  assert.match(details, /products \/ modules: todos 50 %, notes 30 %, habits 10 %, journal 10 %/);
  assert.match(details, /budgets: 12 rounds · 40 tool calls · 200,000 tokens · \$0\.50/);
  assert.match(details, /started by: manual/);
});

test('every activity in the history reads as the persona’s day', async () => {
  const handle = await startTick(env.client, subject, env.taskQueue);
  const result = await handle.result();
  const history = await handle.fetchHistory();
  // Activities, and local activities (login, tool calls, persist), whose summary rides on their marker.
  const summaries = (history.events ?? [])
    .filter((e) => e.activityTaskScheduledEventAttributes ?? e.markerRecordedEventAttributes?.details?.data)
    .map((e) => summaryOf(e.userMetadata?.summary as Payload | undefined));
  const tools = await env.query<{ tool_name: string; round: number }>(
    'SELECT tool_name, round FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [handle.workflowId],
  );
  const rated = await env.query<{ module: string }>(
    'SELECT module FROM persona_feedback WHERE tick_id = $1 ORDER BY module',
    [handle.workflowId],
  );
  assert.ok(tools.length > 0, 'the scripted persona used tools');
  assert.equal(summaries[0], 'login');
  assert.equal(summaries.at(-1), `persist · ${result.actions} actions`);
  // The model call that ended the main turn asked the rating too:
  // no `rating ·` activity then; it reads as the last model round, followed by persist.
  assert.ok(rated.length > 0, 'the tick was rated');
  assert.match(summaries.at(-2) ?? '', /^model · round \d+$/);
  assert.ok(!summaries.some((s) => s?.startsWith('rating ·')));
  const models = summaries.filter((s) => s?.startsWith('model · round '));
  assert.deepEqual(
    models,
    models.map((_, i) => `model · round ${i + 1}`),
  );
  const toolSummaries = summaries.filter((s) => !/^(login|model ·|rating ·|persist ·)/.test(s ?? ''));
  // One local activity per tool call, named after its tool (markers follow completion order, so
  // parallel calls of a round may appear in either order).
  assert.deepEqual(toolSummaries.sort(), tools.map((t) => t.tool_name).sort());
});

test('current details follow the tick, and the Web UI finds the pause/resume signals and status query', async () => {
  const handle = await startTick(env.client, subject, env.taskQueue);
  await handle.signal(pauseSignal);
  await waitUntil(async () => (await handle.query(statusQuery)).paused, 'the tick reports paused');
  const paused = await metadataOf(handle);
  assert.match(paused.currentDetails ?? '', /^\*\*paused\*\* · round \d+ · \d+ actions?, \d+ errors?/);
  const def = paused.definition;
  assert.equal(def?.type, 'personaTick');
  assert.deepEqual((def?.signalDefinitions ?? []).map((s) => s.name).sort(), ['pause', 'resume']);
  assert.ok((def?.queryDefinitions ?? []).some((q) => q.name === 'status'));

  await handle.signal(resumeSignal);
  const result = await handle.result();
  const done = await metadataOf(handle);
  assert.match(
    done.currentDetails ?? '',
    new RegExp(`^\\*\\*done\\*\\* · round \\d+ · ${result.actions} action`),
  );
  assert.match(done.currentDetails ?? '', new RegExp(`ended: ${result.endReason}`));
});

test('a schedule carries the persona’s name: memo, and the summary of every tick it starts', async () => {
  const opts = personaScheduleOptions({ ...subject, paused: true, cadence: 'daily' }, env.taskQueue, false);
  const handle = await env.client.schedule.create({ ...opts, scheduleId: `${opts.scheduleId}-ui-test` });
  try {
    const desc = await handle.describe();
    assert.equal(desc.memo?.name, 'Sam');
    assert.equal(desc.action.type, 'startWorkflow');
    if (desc.action.type !== 'startWorkflow') return;
    assert.equal(desc.action.staticSummary, 'Sam (solo-dev) · daily tick');
    assert.match(desc.action.staticDetails ?? '', /started by: schedule/);
  } finally {
    await handle.delete();
  }
});
