// node:test wrapper of test/support/fake-messages-api.ts: the same fake, closed when the test file ends.
import { after } from 'node:test';
import {
  startFakeMessagesApi as startFake,
  type FakeMessagesApi,
  type ScriptItem,
} from '../support/fake-messages-api.ts';
import type { PromptCacheEmulator } from '../support/prompt-cache.ts';

export {
  isRatingRequest,
  type FakeMessage,
  type FakeStep,
  type RecordedRequest,
} from '../support/fake-messages-api.ts';
export { endTurn, ratingTurn, textBlock, toolTurn, toolUse } from '../support/fake-steps.ts';

/**
 * A local stand-in for the Anthropic Messages API, driven by a script of responses, for testing
 * the real @anthropic-ai/sdk code path. It records every request, and fails loudly when its script
 * runs out: the request gets a 500 saying so and `exhausted` is set, which tests assert is false.
 * A step may also be a function of the request (e.g. to answer rating turns by content).
 */
export async function startFakeMessagesApi(
  script: ScriptItem[] = [],
  /** With `promptCache`, usage follows Anthropic's cache accounting (prompt-cache.ts), not a constant. */
  opts: { promptCache?: PromptCacheEmulator } = {},
): Promise<FakeMessagesApi> {
  const fake = await startFake({ script, ...opts });
  after(() => fake.close());
  return fake;
}
