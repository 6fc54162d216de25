// For a test file: test/support/tick-stack.ts on the servers `npm test` started, everything
// stopped and dropped when the test file ends.
import { after } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AnthropicProvider } from '../../activities/llm/anthropic-provider.ts';
import type { CacheLayout } from '../../activities/llm/cache-breakpoints.ts';
import { adminDatabaseUrl } from './database.ts';
import { requireTemporalAddress } from './temporal.ts';
import { startTickStack, type TickStack } from './tick-stack.ts';
import type { ScriptItem } from './fake-messages-api.ts';
import type { PromptCacheEmulator } from './prompt-cache.ts';
import { startTestFakeMessagesApi } from './fake-messages-api.ts';


// The SDK runtime is process-wide and must be configured before the first connection: keep the
// worker's own logging to warnings so test output stays readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

export type TickEnv = Omit<TickStack, 'close'>;

/** What a test may set of the tick stack (test/support/tick-stack.ts); the servers come from `npm test`. */
export type TickEnvOptions = Omit<
  Parameters<typeof startTickStack>[0],
  'adminDatabaseUrl' | 'temporalAddress'
>;

/**
 * A real gateway + Postgres + Temporal worker on a unique task queue, with one seeded persona.
 * `overrides` replaces activity dependencies (e.g. an Anthropic provider pointed at the fake API).
 */
export async function startTickEnv(opts: TickEnvOptions = {}): Promise<TickEnv> {
  const temporalAddress = requireTemporalAddress();
  const adminUrl = adminDatabaseUrl();
  if (!adminUrl) throw new Error('run tests with `npm test` (it starts Postgres) or set DATABASE_URL');
  const stack = await startTickStack({ ...opts, adminDatabaseUrl: adminUrl, temporalAddress });
  after(() => stack.close());
  return stack;
}

/**
 * A tick env whose worker asks the real AnthropicProvider (the @anthropic-ai/sdk code path) against a
 * fake Messages API of its own (fake-messages-api.ts); both end with the test file.
 */
export async function startClaudeTickEnv(
  opts: TickEnvOptions & {
    apiKey?: string;
    /** The fake's first answers (more can be pushed later). */
    script?: ScriptItem[];
    promptCache?: PromptCacheEmulator;
    /** Only to measure the old prompt-cache layout (AnthropicProvider's `cacheLayout`). */
    cacheLayout?: CacheLayout;
  } = {},
) {
  const { apiKey = 'sk-ant-test', script = [], promptCache, cacheLayout, ...envOpts } = opts;
  const fake = await startTestFakeMessagesApi(script, promptCache ? { promptCache } : {});
  const llm = new AnthropicProvider('claude-sonnet-4-6', {
    apiKey,
    baseURL: fake.url,
    ...(cacheLayout && { cacheLayout }),
  });
  const env = await startTickEnv({ ...envOpts, overrides: { ...envOpts.overrides, llm } });
  return { fake, env, llm };
}
