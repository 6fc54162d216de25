import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { TEST_KEK, TEST_SEED_SECRET } from '../support/secrets.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import { startCampaign } from '../../lib/campaigns/start-campaign.ts';
import { progressQuery, trialWorkflowId } from '../../workflows/campaign-contract.ts';
import { startTickEnv } from '../support/tick-env.ts';
import { waitUntil } from '../support/wait.ts';

const env = await startTickEnv();
const kek = TEST_KEK;
await upsertPersona(env.gw.database.db, kek, TEST_SEED_SECRET, {
  email: 'ada@personas.test',
  displayName: 'Ada',
  archetype: 'researcher',
  systemPrompt: 'You are Ada, a researcher who keeps careful notes and a journal of experiments.',
  moduleMix: { notes: 0.5, journal: 0.3, habits: 0.2 },
  cadence: 'daily',
  timezone: 'Europe/London',
});
const personas = await livePersonas(env.gw.database.db);

/** Tool sequence per (persona email, trial) of one campaign. */
async function toolSequences(campaignId: string) {
  const rows = await env.query<{ email: string; trial: number; tools: string }>(
    `SELECT u.email, t.trial, string_agg(a.tool_name, ',' ORDER BY a.seq) AS tools
       FROM persona_ticks t JOIN personas p ON p.id = t.persona_id JOIN users u ON u.id = p.user_id
       LEFT JOIN persona_actions a ON a.tick_id = t.id
      WHERE t.campaign_id = $1 GROUP BY u.email, t.trial`,
    [campaignId],
  );
  return new Map(rows.map((r) => [`${r.email}#${r.trial}`, r.tools]));
}

test('a campaign runs K trials per persona as child ticks, records its provenance and a summary', async () => {
  const handle = await startCampaign(env.client, {
    label: 'baseline',
    personas,
    taskQueue: env.taskQueue,
    trials: 2,
    concurrency: 3,
    seedBase: 'seed-a',
  });
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  assert.equal(result.trials.length, 4);
  assert.ok(result.trials.every((t) => t.status === 'completed'));
  const progress = await handle.query(progressQuery);
  assert.deepEqual(
    { total: progress.total, completed: progress.completed, running: progress.running, done: progress.done },
    { total: 4, completed: 4, running: 0, done: true },
  );

  const [row] = await env.query<Record<string, unknown>>('SELECT * FROM campaigns WHERE id = $1', [
    handle.workflowId,
  ]);
  assert.equal(row?.label, 'baseline');
  assert.equal(row?.status, 'completed');
  assert.equal(row?.provider, 'scripted');
  assert.equal(row?.trials, 2);
  assert.match(String(row?.catalog_hash), /^[0-9a-f]{16}$/);
  assert.match(String(row?.prompt_version), /^[0-9a-f]{16}$/);
  assert.ok(String(row?.code_version).length > 0);
  const fingerprint = row?.product_fingerprint as Record<string, string>;
  for (const m of ['habits', 'todos', 'notes', 'journal'])
    assert.match(fingerprint[m] ?? '', /^[0-9a-f]{16}$/, m);
  const summary = row?.summary as { ticks: number; byStatus: Record<string, number> };
  assert.equal(summary.ticks, 4);
  assert.equal(summary.byStatus.completed, 4);
  assert.ok(row?.ended_at);

  const ticks = await env.query<{ id: string; persona_id: string; trial: number; trial_seed: string }>(
    'SELECT id, persona_id, trial, trial_seed FROM persona_ticks WHERE campaign_id = $1 ORDER BY id',
    [handle.workflowId],
  );
  assert.equal(ticks.length, 4);
  for (const t of ticks) {
    assert.equal(t.id, trialWorkflowId(handle.workflowId, t.persona_id, t.trial));
    const email = personas.find((p) => p.personaId === t.persona_id)!.email;
    assert.equal(t.trial_seed, `seed-a/${email}/${t.trial}`);
  }
  // The children carry the campaign on their memo and in their Web UI summary.
  const child = await env.client.workflow.getHandle(ticks[0]!.id).describe();
  assert.equal(child.memo?.campaignId, handle.workflowId);
  assert.match((await child.staticSummary()) ?? '', /campaign baseline · trial \d\/2/);
  const parent = await handle.describe();
  assert.equal(parent.memo?.provider, 'scripted');
});

test('the same seed base replays the same days; another base varies them', async () => {
  const run = async (seedBase: string) => {
    const h = await startCampaign(env.client, {
      label: `seeded-${seedBase}`,
      personas,
      taskQueue: env.taskQueue,
      trials: 3,
      concurrency: 2,
      seedBase,
    });
    await h.result();
    return toolSequences(h.workflowId);
  };
  const a1 = await run('same');
  const a2 = await run('same');
  const b = await run('other');
  assert.equal(a1.size, 6);
  assert.deepEqual(a2, a1, 'equal trial seeds → equal tool sequences');
  assert.notDeepEqual(b, a1, 'other seeds → other days');
});

test('cancelling a campaign cancels its running children and still writes the summary', async () => {
  // A paused persona's tick waits for `resume` after login: the campaign is reliably mid-run.
  await env.query('UPDATE personas SET paused = true');
  try {
    const handle = await startCampaign(env.client, {
      label: 'to-cancel',
      personas,
      taskQueue: env.taskQueue,
      trials: 3,
      concurrency: 2,
    });
    await waitUntil(async () => (await handle.query(progressQuery)).running === 2, 'two trials run');
    await waitUntil(
      async () =>
        (await env.count(`SELECT count(*)::int AS n FROM persona_ticks WHERE campaign_id = $1`, [
          handle.workflowId,
        ])) === 2,
      'both ticks logged in',
    );
    await handle.cancel();
    await assert.rejects(handle.result(), WorkflowFailedError);
    const [row] = await env.query<{
      status: string;
      summary: { ticks: number; byStatus: Record<string, number> };
    }>('SELECT status, summary FROM campaigns WHERE id = $1', [handle.workflowId]);
    assert.equal(row?.status, 'cancelled');
    assert.equal(row?.summary.byStatus.cancelled, 2);
    assert.equal(row?.summary.ticks, 2, 'no new trial started after the cancellation');
    const desc = await handle.describe();
    assert.equal(desc.status.name, 'CANCELLED');
  } finally {
    await env.query('UPDATE personas SET paused = false');
  }
});
