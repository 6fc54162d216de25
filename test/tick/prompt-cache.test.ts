// Prompt caching that pays, measured through the real AnthropicProvider against the fake Messages API
// with Anthropic's cache accounting emulated (test/support/prompt-cache.ts): from the second round on
// nearly all input is read from the cache, and the rating turn reads the conversation it continues.
// The same tick with the layout before (breakpoints on tools and system only) misses the goal, so the
// goal rests on the conversation's breakpoints, not on the emulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CacheLayout } from '../../activities/llm/cache-breakpoints.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { PromptCacheEmulator, readShare, type CacheUsage } from '../support/prompt-cache.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';

/** A 6-round tick (5 tool rounds, end_turn) and its rating turn, with the breakpoints of `layout`. */
async function tick(layout: CacheLayout) {
  const cache = new PromptCacheEmulator();
  const { fake, env } = await startClaudeTickEnv({
    apiKey: 'sk-ant-test-cache',
    promptCache: cache,
    cacheLayout: layout,
  });
  const titles = ['Pay rent', 'Call the dentist', 'Book train tickets', 'Buy oat milk'];
  fake.push(
    ...titles.map((t, i) =>
      toolTurn(toolUse(`toolu_c${i}`, 'todo_create', { title: t }), toolUse(`toolu_l${i}`, 'todo_list', {})),
    ),
    toolTurn(toolUse('toolu_last', 'todo_list', {})),
    endTurn('All planned for the week.'),
    ratingTurn({ todos: { rating: 4, notes: 'quick and did what I asked' } }),
  );
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  assert.equal(fake.exhausted, false);
  const usages = cache.usages;
  assert.equal(usages.length, 7, '6 main-turn calls and the rating turn');
  const shares = usages.map(readShare);
  const report = shares
    .map((s, i) => `${i === 6 ? 'rating' : `round ${i}`}: ${(s * 100).toFixed(1)} %`)
    .join(', ');
  // From the second call on, taken together (each round's own new turns are the part it must write).
  const later = usages.slice(1, 6);
  const laterShare =
    later.reduce((n, u) => n + u.cache_read_input_tokens, 0) /
    later.reduce((n, u) => n + u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens, 0);
  return { env, handle, usages, shares, report, laterShare };
}

test('a 6-round tick reads ≥ 90 % of its input from the cache from round 2 on; the rating turn ≥ 50 %', async () => {
  const { env, handle, usages, shares, report, laterShare } = await tick('conversation');
  assert.equal(shares[0], 0, `the first call has nothing to read (${report})`);
  assert.ok(
    laterShare >= 0.9,
    `rounds 1–5 read ${(laterShare * 100).toFixed(1)} % from the cache (${report})`,
  );
  for (const [i, s] of shares.slice(1, 6).entries())
    assert.ok(s >= 0.85, `round ${i + 1} reads ${(s * 100).toFixed(1)} % from the cache (${report})`);
  assert.ok(shares[6]! >= 0.5, `the rating turn reads ${(shares[6]! * 100).toFixed(1)} % (${report})`);

  // What the API reported is what the tick recorded.
  const [row] = await env.query<{
    cache_read_tokens: number;
    cache_write_tokens: number;
    input_tokens: number;
  }>('SELECT cache_read_tokens, cache_write_tokens, input_tokens FROM persona_ticks WHERE id = $1', [
    handle.workflowId,
  ]);
  const sum = (k: keyof CacheUsage) => usages.reduce((n, u) => n + u[k], 0);
  assert.equal(row!.cache_read_tokens, sum('cache_read_input_tokens'));
  assert.equal(row!.cache_write_tokens, sum('cache_creation_input_tokens'));
  assert.equal(row!.input_tokens, sum('input_tokens'));
});

test('with breakpoints on tools and system only, the same tick reads less and less of its input from the cache', async () => {
  const { shares, report, laterShare } = await tick('tools-and-system');
  assert.ok(laterShare < 0.9, `rounds 1–5 read ${(laterShare * 100).toFixed(1)} % (${report})`);
  assert.ok(shares[5]! < shares[1]!, `the share falls as the uncached conversation grows (${report})`);
});
