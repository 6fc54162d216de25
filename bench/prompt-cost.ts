// Input cost per tick before and after the conversation's cache breakpoints (issue 12, "Cost").
//
//   npm run bench:cost                      every catalog persona, one 10-round tick each, per layout (~1 min)
//   npm run bench:cost -- --personas 3      the first 3 catalog personas (writes a git-ignored .tmp.json)
//   options: --personas N --rounds N (model calls in the main turn, the last one ending the day;
//            default 10) --parallel N (tool calls per round, default 2) --out FILE
//
// What runs (one process, test/support): Postgres and a Temporal dev server, then per layout a fresh
// database, the real gateway, a real tick worker and the real AnthropicProvider against the fake
// Messages API with Anthropic's cache accounting emulated (test/support/prompt-cache.ts: prefix up to
// each breakpoint, 1,024-token minimum, 20-block lookback, 5-minute lifetime, ~4 characters a token).
// The fake answers every tick with the same plan (`plannedAnswer`: rounds − 1 rounds of tool calls,
// end_turn, the rating), so the two layouts see the same ticks:
//   before  'tools-and-system' — breakpoints on the last tool and the system prompt only
//   after   'conversation'     — also on the previous and the newest user turn (cache-breakpoints.ts)
// The catalog's personas tick one after another, as one product's personas would within 5 minutes: the
// tool list one writes, the next reads. Token counts do not depend on the machine's load, so the
// figures are reproducible; `results/prompt-cost.json` is committed.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AnthropicProvider } from '../activities/llm/anthropic-provider.ts';
import type { CacheLayout } from '../activities/llm/cache-breakpoints.ts';
import { loadCatalog } from '../lib/personas/catalog.ts';
import { upsertPersona } from '../lib/personas/upsert-persona.ts';
import type { personaTick } from '../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../workflows/tick-contract.ts';
import { fmt, writeResults } from './bench-report.ts';
import { intFlag } from './settings.ts';
import {
  INPUT_PRICE,
  MODEL,
  print,
  summarise,
  tokensOf,
  type Summary,
  type TickTokens,
} from './prompt-cost/summary.ts';
import { isRatingRequest, startFakeMessagesApi } from '../test/support/fake-messages-api.ts';
import { plannedAnswer } from '../test/support/fake-steps.ts';
import { startSupportGateway, UNLIMITED_GATEWAY_ENV } from '../test/support/gateway.ts';
import { PromptCacheEmulator } from '../test/support/prompt-cache.ts';
import { TEST_SEED_SECRET } from '../test/support/secrets.ts';
import { startStack, type Stack } from '../test/support/stack.ts';
import { startTickWorker } from '../test/support/tick-worker.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const LAYOUTS: Record<'before' | 'after', CacheLayout> = {
  before: 'tools-and-system',
  after: 'conversation',
};

/** One tick per persona with the breakpoints of `layout`: its own database, gateway, worker, fake API and cache. */
async function measure(stack: Stack, layout: CacheLayout, settings: Settings): Promise<TickTokens[]> {
  const cache = new PromptCacheEmulator();
  const fake = await startFakeMessagesApi({
    answer: plannedAnswer({ rounds: settings.rounds - 1, parallel: settings.parallel }),
    promptCache: cache,
  });
  const database = await stack.freshDatabase(8);
  const gateway = await startSupportGateway(database, { env: UNLIMITED_GATEWAY_ENV, logger: stack.logger });
  const llm = new AnthropicProvider(MODEL, {
    apiKey: 'sk-ant-bench-cost',
    baseURL: fake.url,
    cacheLayout: layout,
  });
  const worker = await startTickWorker({
    native: stack.native,
    namespace: stack.temporal.namespace,
    taskQueue: `bench-cost-${randomUUID()}`,
    db: database.db,
    gatewayUrl: gateway.url,
    overrides: { llm },
    logger: stack.logger,
  });
  try {
    const ticks: TickTokens[] = [];
    for (const def of (await loadCatalog()).slice(0, settings.personas)) {
      const { personaId } = await upsertPersona(database.db, gateway.kek, TEST_SEED_SECRET, def);
      const from = cache.usages.length;
      const result = await stack.client.workflow.execute<typeof personaTick>(TICK_WORKFLOW, {
        taskQueue: worker.taskQueue,
        workflowId: `bench-cost-${randomUUID()}`,
        args: [{ personaId }],
      });
      // The fake records requests and the emulator usages in the same order, one each per call.
      const usages = cache.usages.slice(from);
      const requests = fake.requests.slice(from);
      const main = usages.filter((_, i) => !isRatingRequest(requests[i]!)).map(tokensOf);
      const rating = usages.filter((_, i) => isRatingRequest(requests[i]!)).map(tokensOf);
      if (result.status !== 'completed' || main.length !== settings.rounds || rating.length !== 1)
        throw new Error(
          `${def.email}: ${result.status} (${result.endReason}), ${main.length} main calls, ${rating.length} rating calls`,
        );
      ticks.push({ persona: def.email, rounds: main, rating: rating[0]! });
    }
    return ticks;
  } finally {
    await worker.stop();
    await gateway.close();
    await fake.close();
    await database.drop();
  }
}

function parseSettings() {
  const { values: f } = parseArgs({
    options: {
      personas: { type: 'string' },
      rounds: { type: 'string' },
      parallel: { type: 'string' },
      out: { type: 'string' },
    },
  });
  return {
    personas: intFlag(f.personas, 11, 'personas', 1, 100),
    rounds: intFlag(f.rounds, 10, 'rounds', 2, 12),
    parallel: intFlag(f.parallel, 2, 'parallel', 1, 4),
    out: f.out,
  };
}
type Settings = ReturnType<typeof parseSettings>;

async function main(): Promise<void> {
  const settings = parseSettings();
  // The worker's own lifecycle logging is noise here; warnings still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const catalog = await loadCatalog();
  settings.personas = Math.min(settings.personas, catalog.length);
  const standard = settings.personas === catalog.length && settings.rounds === 10 && settings.parallel === 2;
  say(`prompt-cost: ${settings.personas} catalog personas × 1 tick of ${settings.rounds} rounds, ${MODEL}`);
  const stack = await startStack({ name: 'bench-prompt-cost', handleSignals: true });
  const results: Partial<Record<keyof typeof LAYOUTS, Summary>> = {};
  try {
    for (const [name, layout] of Object.entries(LAYOUTS) as Array<[keyof typeof LAYOUTS, CacheLayout]>) {
      results[name] = summarise(layout, await measure(stack, layout, settings));
      print(say, name, results[name]);
    }
  } finally {
    await stack.stop();
  }
  const before = results.before!.tick.costUsd;
  const after = results.after!.tick.costUsd;
  say(
    `\ninput cost per tick: $${before.toFixed(4)} before → $${after.toFixed(4)} after (${fmt((100 * (before - after)) / before, 1)} % less)`,
  );
  const file = writeResults(
    'prompt-cost',
    !standard,
    {
      benchmark: 'prompt-cost',
      date: new Date().toISOString(),
      model: MODEL,
      pricesUsdPerMTok: {
        input: INPUT_PRICE.input,
        cacheWrite: INPUT_PRICE.cacheWrite,
        cacheRead: INPUT_PRICE.cacheRead,
        source:
          'activities/llm/prices.ts DEFAULT_PRICES (Anthropic list prices: writes 1.25×, reads 0.1× of input)',
      },
      settings: { ...settings, catalog: 'catalog.json', out: undefined },
      goal: { readShareFromRound2: 0.9, ratingReadShare: 0.5 },
      ...results,
      saving: { costUsdPerTick: +(before - after).toFixed(6), ratio: +(after / before).toFixed(4) },
    },
    settings.out,
  );
  say(`results: ${file}`);
}

await main();
// The SDK's native runtime keeps the event loop alive after its connections close.
process.exit(0);
