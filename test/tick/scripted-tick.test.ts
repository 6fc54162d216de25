import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTickEnv } from '../support/tick-env.ts';

// One environment for the file: its gateway, database and worker close when the file ends.
const env = await startTickEnv();

test('a full tick with the scripted provider persists actions and feedback with deterministic ids', async () => {
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  assert.equal(result.endReason, 'end_turn');
  assert.ok(result.actions > 0, 'the scripted persona used at least one tool');

  const [tick] = await env.query<Record<string, unknown>>('SELECT * FROM persona_ticks WHERE id = $1', [
    handle.workflowId,
  ]);
  assert.equal(tick?.status, 'completed');
  assert.equal(tick?.provider, 'scripted');
  assert.ok(Number(tick?.history_events) > 0 && Number(tick?.history_bytes) > 0);

  const actions = await env.query<{ id: string; seq: number; tool_name: string }>(
    'SELECT id, seq, tool_name FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [handle.workflowId],
  );
  assert.equal(actions.length, result.actions);
  for (const a of actions) assert.equal(a.id, `${handle.workflowId}-${a.seq}-${a.tool_name}`);

  const feedback = await env.query<{ id: string; module: string; rating: number }>(
    'SELECT id, module, rating FROM persona_feedback WHERE tick_id = $1',
    [handle.workflowId],
  );
  assert.ok(feedback.length > 0);
  for (const f of feedback) {
    assert.equal(f.id, `${handle.workflowId}-${f.module}`);
    assert.ok(f.rating >= 1 && f.rating <= 5);
  }
  const [persona] = await env.query<{ last_active_at: Date | null }>(
    'SELECT last_active_at FROM personas WHERE id = $1',
    [env.personaId],
  );
  assert.ok(persona?.last_active_at);
});

test('budgets end the main turn with a recorded reason: rounds, tool calls, tokens, cost', async () => {
  const cases = [
    { budgets: { maxRounds: 1 }, reason: 'budget:rounds' },
    { budgets: { maxToolCalls: 1 }, reason: 'budget:tool_calls' },
    { budgets: { maxTokens: 1 }, reason: 'budget:tokens' },
    // The scripted model is free, so only a zero cost budget is exhausted by it.
    { budgets: { maxCostUsd: 0 }, reason: 'budget:cost' },
  ];
  for (const c of cases) {
    const handle = await env.start({ budgets: c.budgets });
    const result = await handle.result();
    assert.equal(result.status, 'completed');
    assert.equal(result.endReason, c.reason, JSON.stringify(c.budgets));
    const [tick] = await env.query<{ end_reason: string; rounds: number; tool_calls: number }>(
      'SELECT end_reason, rounds, tool_calls FROM persona_ticks WHERE id = $1',
      [handle.workflowId],
    );
    assert.equal(tick?.end_reason, c.reason);
    if (c.reason === 'budget:rounds') assert.equal(tick?.rounds, 1);
    if (c.reason === 'budget:tool_calls') assert.equal(tick?.tool_calls, 1);
  }
});
