import { z } from 'zod';
import type { TokenUsage } from './types.ts';

/** USD per million tokens. */
export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
});
export type Price = z.infer<typeof priceSchema>;
export const priceTableSchema = z.record(z.string().min(1), priceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

/**
 * Defaults (USD / MTok, list prices); override or extend with LLM_PRICES_JSON. A model not in the
 * table is matched by prefix (claude-sonnet-4-5-20250929 → claude-sonnet-4-5), else costs 0 with a warning.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
  'scripted-v1': { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
};

export function priceFor(table: PriceTable, model: string): Price | undefined {
  if (table[model]) return table[model];
  const prefix = Object.keys(table)
    .filter((k) => model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix] : undefined;
}

export function costUsd(price: Price | undefined, usage: TokenUsage): number {
  if (!price) return 0;
  return (
    (usage.input * price.input +
      usage.output * price.output +
      usage.cacheWrite * price.cacheWrite +
      usage.cacheRead * price.cacheRead) /
    1_000_000
  );
}
