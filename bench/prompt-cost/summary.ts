// What bench/prompt-cost.ts reports: the default model's input prices, token counts per call summed
// and averaged over ticks, the cost of each (input side only: output tokens do not depend on caching),
// and the goal's two shares.
import { costUsd, priceFor, type Price } from '../../activities/llm/prices.ts';
import type { CacheLayout } from '../../activities/llm/cache-breakpoints.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { fmt, table } from '../bench-report.ts';
import type { CacheUsage } from '../../test/support/prompt-cache.ts';
import { TEST_SECRET_ENV } from '../../test/support/secrets.ts';

// The model and prices a worker uses when nothing is configured (workers/config.ts: ANTHROPIC_MODEL
// defaults to claude-sonnet-4-6; activities/llm/prices.ts: DEFAULT_PRICES). Claude Sonnet 4.6 list
// prices (https://platform.claude.com/docs/en/about-claude/pricing): base input $3 / MTok, 5-minute cache
// writes 1.25× ($3.75), cache reads 0.1× ($0.30).
const { model: MODEL, prices } = loadWorkerConfig({ ...TEST_SECRET_ENV, LLM_PROVIDER: 'scripted' }).llm;
const PRICE = priceFor(prices, MODEL);
if (!PRICE) throw new Error(`no price for ${MODEL}`);
export const INPUT_PRICE: Price = { ...PRICE, output: 0 };
export { MODEL };

export interface Tokens {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  uncached: number;
}

export const tokensOf = (u: CacheUsage): Tokens => ({
  input: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
  cacheRead: u.cache_read_input_tokens,
  cacheWrite: u.cache_creation_input_tokens,
  uncached: u.input_tokens,
});
const add = (a: Tokens, b: Tokens): Tokens => ({
  input: a.input + b.input,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheWrite: a.cacheWrite + b.cacheWrite,
  uncached: a.uncached + b.uncached,
});
const ZERO: Tokens = { input: 0, cacheRead: 0, cacheWrite: 0, uncached: 0 };
const sum = (ts: Tokens[]) => ts.reduce(add, ZERO);
const cost = (t: Tokens) =>
  costUsd(INPUT_PRICE, { input: t.uncached, output: 0, cacheRead: t.cacheRead, cacheWrite: t.cacheWrite });
const share = (t: Tokens) => (t.input ? t.cacheRead / t.input : 0);
/** Mean per tick of `n` ticks, with the cache-read share. */
const mean = (x: number, n: number) => +(x / n).toFixed(1);
const perTick = (t: Tokens, n: number) => ({
  input: mean(t.input, n),
  cacheRead: mean(t.cacheRead, n),
  cacheWrite: mean(t.cacheWrite, n),
  uncached: mean(t.uncached, n),
  readShare: +share(t).toFixed(4),
  costUsd: +(cost(t) / n).toFixed(6),
});

export interface TickTokens {
  persona: string;
  rounds: Tokens[];
  rating: Tokens;
}

/** Per round and per tick, means over the ticks; the goal's two shares. */
export function summarise(layout: CacheLayout, ticks: TickTokens[]) {
  const n = ticks.length;
  const rounds = ticks[0]!.rounds.map((_, r) => ({
    round: r + 1,
    ...perTick(sum(ticks.map((t) => t.rounds[r]!)), n),
  }));
  const rating = perTick(sum(ticks.map((t) => t.rating)), n);
  const all = sum(ticks.flatMap((t) => [...t.rounds, t.rating]));
  const fromRound2 = share(sum(ticks.flatMap((t) => t.rounds.slice(1))));
  return {
    layout,
    rounds,
    rating,
    tick: {
      ...perTick(all, n),
      // The same input at the base price, as without any cache breakpoint.
      costUsdWithoutCache: +((all.input * INPUT_PRICE.input) / 1e6 / n).toFixed(6),
      readShareFromRound2: +fromRound2.toFixed(4),
    },
    goal: { fromRound2AtLeast90: fromRound2 >= 0.9, ratingAtLeast50: rating.readShare >= 0.5 },
    perPersonaCostUsd: Object.fromEntries(
      ticks.map((t) => [t.persona, +cost(sum([...t.rounds, t.rating])).toFixed(6)]),
    ),
  };
}
export type Summary = ReturnType<typeof summarise>;

export function print(say: (line: string) => void, name: string, s: Summary): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const row = (label: string, t: Tokens & { readShare: number; costUsd: number }) => [
    label,
    fmt(t.input),
    fmt(t.cacheRead),
    fmt(t.cacheWrite),
    fmt(t.uncached),
    pct(t.readShare),
    `$${t.costUsd.toFixed(4)}`,
  ];
  say(`\n${name} (${s.layout}), means per tick over ${Object.keys(s.perPersonaCostUsd).length} ticks:`);
  say(
    table(
      ['call', 'input', 'cache read', 'cache write', 'uncached', 'read', 'input $'],
      [...s.rounds.map((r) => row(`round ${r.round}`, r)), row('rating', s.rating), row('tick', s.tick)],
    ),
  );
  say(
    `from round 2 on: ${pct(s.tick.readShareFromRound2)} read (goal ≥ 90 %: ${s.goal.fromRound2AtLeast90 ? 'met' : 'not met'}); ` +
      `rating turn ${pct(s.rating.readShare)} (goal ≥ 50 %: ${s.goal.ratingAtLeast50 ? 'met' : 'not met'}); ` +
      `without caching the same input would cost $${s.tick.costUsdWithoutCache.toFixed(4)}`,
  );
}
