import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { type RecordedRequest } from '../support/fake-messages-api.ts';
import { isRatingRequest } from '../support/fake-messages-api.ts';
import { historyToJson } from '../support/history-json.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';

const ROUNDS = 10;
const PER_ROUND = 2;
const TOOL_CALLS = ROUNDS * PER_ROUND;
/** The goal: a tick of 20 tool calls keeps its Temporal history under 100 KB (transcripts live in Postgres). */
const MAX_HISTORY_BYTES = 100 * 1024;

/** Answers by the conversation's own state: ROUNDS rounds of parallel todo_create, then end, then a rating. */
function answer(req: RecordedRequest) {
  if (isRatingRequest(req)) return ratingTurn({ todos: { rating: 4, notes: 'lots of todos' } });
  const round = req.body.messages.filter((m) => m.role === 'assistant').length;
  if (round >= ROUNDS) return endTurn();
  return toolTurn(
    ...Array.from({ length: PER_ROUND }, (_, i) =>
      // Realistic inputs: a long-ish title, so payload size is not flattered by tiny arguments.
      toolUse(`toolu_r${round}_${i}`, 'todo_create', {
        title: `Round ${round}, task ${i}: follow up on the quarterly planning notes and tidy the backlog`,
      }),
    ),
  );
}

test(`a tick with ${TOOL_CALLS} tool calls keeps its history under 100 KB`, async (t) => {
  const { fake, env } = await startClaudeTickEnv({
    apiKey: 'sk-ant-test-size',
    script: Array.from({ length: ROUNDS + 2 }, () => answer),
  });
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(fake.exhausted, false, 'the fake Messages API ran out of script');
  assert.equal(fake.remaining, 0, 'the tick made every scripted call');
  assert.deepEqual([result.status, result.endReason, result.actions], ['completed', 'end_turn', TOOL_CALLS]);
  assert.equal(
    await env.count("SELECT count(*)::int AS n FROM persona_actions WHERE tick_id = $1 AND outcome = 'ok'", [
      handle.workflowId,
    ]),
    TOOL_CALLS,
  );

  const description = await handle.describe();
  const history = await handle.fetchHistory();
  const events = history.events?.length ?? 0;
  const bytes = description.historySize;
  const jsonBytes = Buffer.byteLength(JSON.stringify(JSON.parse(historyToJson(history))));
  assert.equal(description.historyLength, events);
  assert.ok(bytes !== undefined && bytes > 0, 'the server reports the history size');

  // The tick records its own history size, as seen by the workflow just before it persists.
  const [tick] = await env.query<{ history_events: number; history_bytes: number }>(
    'SELECT history_events, history_bytes FROM persona_ticks WHERE id = $1',
    [handle.workflowId],
  );
  assert.ok(tick);
  assert.ok(
    tick.history_events > 0 && tick.history_events < events,
    `recorded ${tick.history_events} events`,
  );
  assert.ok(tick.history_bytes > 0 && tick.history_bytes < bytes, `recorded ${tick.history_bytes} bytes`);

  const figure =
    `history of a ${TOOL_CALLS}-tool-call tick (${ROUNDS + 1} model calls + rating): ${events} events, ` +
    `${bytes} bytes (${(bytes / 1024).toFixed(1)} KB) per the server, ${jsonBytes} bytes as compact JSON; ` +
    `persona_ticks recorded ${tick.history_events} events / ${tick.history_bytes} bytes before persist`;
  t.diagnostic(figure);
  assert.ok(bytes < MAX_HISTORY_BYTES, `history is ${bytes} bytes, over the ${MAX_HISTORY_BYTES}-byte goal`);
});
