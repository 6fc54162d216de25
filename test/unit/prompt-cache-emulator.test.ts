// The fake Messages API's cache accounting follows Anthropic's documented rules; these pin them, so
// the cache figures the tick tests and benchmarks report mean what they would mean against Claude.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptCacheEmulator } from '../support/prompt-cache.ts';

const EPH = { type: 'ephemeral' };
const long = (c: string) => c.repeat(8_000); // ≈ 2,000 tokens
const tools = [{ name: 'a', description: long('a'), cache_control: EPH }];
const system = [{ type: 'text', text: 'You are Maya.', cache_control: EPH }];
const user = (text: string, cached = true) => ({
  role: 'user',
  content: [{ type: 'text', text, ...(cached && { cache_control: EPH }) }],
});

test('first request writes its prefix; the same prefix is read next time', () => {
  let now = 0;
  const cache = new PromptCacheEmulator({ now: () => now });
  const body = { tools, system, messages: [user(long('u'))] };
  const first = cache.usage(body);
  assert.equal(first.cache_read_input_tokens, 0);
  assert.ok(first.cache_creation_input_tokens > 3_000);
  now += 60_000;
  const second = cache.usage(body);
  assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
  assert.equal(second.cache_creation_input_tokens, 0);
  // Five minutes after its last use, the entry is gone.
  now += 5 * 60_000 + 1;
  assert.equal(cache.usage(body).cache_read_input_tokens, 0);
});

test('a growing conversation reads the earlier turns and writes only the new ones', () => {
  const cache = new PromptCacheEmulator();
  const round0 = { tools, system, messages: [user(long('u'))] };
  const w0 = cache.usage(round0).cache_creation_input_tokens;
  const round1 = {
    tools,
    system,
    messages: [
      user(long('u')),
      { role: 'assistant', content: [{ type: 'text', text: long('r') }] },
      user(long('v')),
    ],
  };
  const u1 = cache.usage(round1);
  assert.equal(u1.cache_read_input_tokens, w0);
  assert.ok(u1.cache_creation_input_tokens > 3_000, 'the assistant turn and the new user turn');
});

test('a prefix under the minimum cacheable length is never cached', () => {
  const cache = new PromptCacheEmulator();
  const tiny = { system, messages: [user('hi')] };
  cache.usage(tiny);
  const again = cache.usage(tiny);
  assert.equal(again.cache_read_input_tokens + again.cache_creation_input_tokens, 0);
});

test('changing tool_choice invalidates cached message blocks but not tools and system', () => {
  const cache = new PromptCacheEmulator();
  const body = { tools, system, messages: [user(long('u'))] };
  const w = cache.usage(body).cache_creation_input_tokens;
  const none = cache.usage({ ...body, tool_choice: { type: 'none' } });
  assert.ok(none.cache_read_input_tokens > 0 && none.cache_read_input_tokens < w, JSON.stringify(none));
  assert.ok(none.cache_creation_input_tokens > 1_000);
});

test('more than four breakpoints is an error, as the API says', () => {
  const cache = new PromptCacheEmulator();
  assert.throws(
    () => cache.usage({ tools, system, messages: [user('a'), user('b'), user('c')] }),
    /maximum of 4 blocks/,
  );
});
