import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTickEnv } from '../helpers/tick-env.ts';

test('a full tick with the scripted provider persists actions and feedback with deterministic ids', async () => {
  const env = await startTickEnv();
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
