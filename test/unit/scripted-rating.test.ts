import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagError } from '../../activities/error-tag.ts';
import { withLatencyNote } from '../../activities/tick/latency-note.ts';
import { ratingPrompt } from '../../activities/prompts.ts';
import { ScriptedProvider } from '../../activities/llm/scripted-provider.ts';
import { isEmptyAnswer, mentionedLatencyMs } from '../../activities/llm/scripted-rating.ts';
import type { LlmRequest, MessageParam } from '../../activities/llm/types.ts';

type Result = { text: string; isError?: boolean; input?: Record<string, unknown> };

/** A rating turn that continues a conversation: each todo call answered with `results[i]`. */
function ratingTurn(results: Result[], seed = 'day-1'): LlmRequest {
  const messages: MessageParam[] = [{ role: 'user', content: 'Live this part of your day.' }];
  results.forEach((r, i) => {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `t${i}`, name: 'todo_list', input: r.input ?? {} }],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `t${i}`, content: r.text, ...(r.isError && { is_error: true }) },
      ],
    });
  });
  const actions = results.map((r) => ({
    module: 'todos',
    toolName: 'todo_list',
    outcome: r.isError ? 'error' : 'ok',
  }));
  messages.push({ role: 'user', content: ratingPrompt(['todos'], actions) });
  return {
    system: 'You are Sam.',
    messages,
    maxTokens: 1024,
    purpose: 'rating',
    persona: { personaId: 'p1', archetype: 'solo-dev', moduleMix: { todos: 1 }, toolModules: {} },
    seed,
  };
}

async function stars(results: Result[], seed?: string): Promise<{ rating: number; notes: string }> {
  const res = await new ScriptedProvider({ seed: 'scripted' }).createMessage(ratingTurn(results, seed));
  const text = res.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  return (JSON.parse(text) as Record<string, { rating: number; notes: string }>).todos!;
}

const good: Result = { text: '{"todos":[{"id":"a","title":"x"}]}' };
const empty: Result = { text: '{"todos":[]}', input: { status: 'open' } };
const slow: Result = { text: '{"todos":[{"id":"a"}]}\n(this call took 2400 ms)' };
const failed: Result = { text: tagError('product', 'todo_list failed inside the product'), isError: true };

test('what the persona lived through sets its rating: errors, empty answers and slowness each cost stars', async () => {
  const base = await stars([good, good, good]);
  assert.ok(base.rating >= 4, JSON.stringify(base));
  assert.match(base.notes, /did what I needed/);
  const cases: Array<[string, Result[]]> = [
    ['errors', [good, failed, failed]],
    ['empty', [empty, empty, good]],
    ['slow', [slow, slow, good]],
  ];
  for (const [what, results] of cases) {
    // Over many days (seeds) the average must drop by at least a star compared with good days.
    let sumBad = 0;
    let sumGood = 0;
    for (let d = 0; d < 30; d++) {
      sumBad += (await stars(results, `d${d}`)).rating;
      sumGood += (await stars([good, good, good], `d${d}`)).rating;
    }
    assert.ok(sumGood / 30 - sumBad / 30 >= 1, `${what}: ${sumGood / 30} vs ${sumBad / 30}`);
    const one = await stars(results);
    assert.match(
      one.notes,
      what === 'errors' ? /2 error/ : what === 'empty' ? /2 empty answer/ : /2 slow call/,
    );
  }
});

test('the persona’s own slip (invalid input it sent) and a policy denial are not held against the product', async () => {
  const slip: Result = { text: tagError('persona', 'todo_complete: todo_id: Invalid UUID'), isError: true };
  const denied: Result = { text: tagError('policy', 'denied by policy: rate limit'), isError: true };
  for (let d = 0; d < 10; d++) {
    assert.deepEqual(await stars([good, slip, good], `d${d}`), await stars([good, good, good], `d${d}`));
    assert.deepEqual(await stars([good, denied, good], `d${d}`), await stars([good, good, good], `d${d}`));
  }
});

test('a failure counts by the class the gateway gave it, not by its words: a federated product’s own error text', async () => {
  // What server-filesystem answers for a missing file, classed `product` by the gateway: the same
  // letdown as the built-in wording, two stars at most.
  const enoent: Result = {
    text: tagError('product', "ENOENT: no such file or directory, open '/data/plan.md'"),
    isError: true,
  };
  const unreachable: Result = { text: tagError('infra', 'memory is unavailable right now'), isError: true };
  for (let d = 0; d < 10; d++) {
    const r = await stars([enoent, enoent, enoent, enoent, good], `d${d}`);
    assert.ok(r.rating <= 2, `day ${d}: ${JSON.stringify(r)}`);
    assert.match(r.notes, /4 error/);
    assert.ok((await stars([good, unreachable], `d${d}`)).rating <= 2);
  }
});

test('deterministic: the same experience gets the same stars', async () => {
  assert.deepEqual(await stars([good, failed]), await stars([good, failed]));
  assert.deepEqual(await stars([slow, empty], 'x'), await stars([slow, empty], 'x'));
});

test('a first look at everything that finds nothing costs nothing; once it asked for something, nothing is a letdown', async () => {
  const look: Result = { text: '{"todos":[]}' };
  const base = await stars([good, good, good]);
  assert.deepEqual(await stars([look, look, good]), base);
  const afterAsking = await stars([{ ...good, input: { status: 'open' } }, look, look]);
  assert.match(afterAsking.notes, /2 empty answer/);
});

test('empty answers and latency notes are recognised', () => {
  assert.equal(isEmptyAnswer('{"todos":[]}'), true);
  assert.equal(isEmptyAnswer('[]'), true);
  assert.equal(isEmptyAnswer('No results for "tax"'), true);
  assert.equal(isEmptyAnswer('{"todos":[{"id":1}]}'), false);
  assert.equal(isEmptyAnswer('{"todo":{"id":1}}'), false);
  assert.equal(mentionedLatencyMs('(took 2400 ms)'), 2400);
  assert.equal(mentionedLatencyMs('latency: 2.5 s'), 2500);
  // The note the tool-call activity appends to slow answers (activities/tick/latency-note.ts).
  assert.equal(mentionedLatencyMs(withLatencyNote('[]', 3_400)), 3400);
  assert.equal(mentionedLatencyMs('{"title":"buy 2 s"}'), undefined);
});
