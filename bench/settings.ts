// The command line every benchmark shares: `--quick` (a smoke run) and `--out FILE` beside its own
// options, the wait for a quiet machine, and numbers that fail with a clear error naming the option.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const SHARED = {
  quick: { type: 'boolean', default: false },
  out: { type: 'string' },
} as const;

/** The bounded wait for a quiet machine (test/support/quiet-machine.ts), as options. */
export const QUIET_FLAGS = {
  'max-wait': { type: 'string', default: '300' },
  'load-threshold': { type: 'string', default: '1.5' },
} as const;

/**
 * `argv` parsed against the shared options and `options` (strict: an unknown option or a missing
 * value is an error).
 */
export function benchFlags<const O extends Options>(argv: readonly string[], options: O) {
  return parseArgs({ args: argv, options: { ...SHARED, ...options } }).values;
}

/** QUIET_FLAGS' values, checked. */
export function quietSettings(flags: { 'max-wait': string; 'load-threshold': string }) {
  return {
    maxWaitMs: intFlag(flags['max-wait'], 300, 'max-wait', 0, 3600) * 1000,
    loadThreshold: numberFlag(flags['load-threshold'], 1.5, 'load-threshold'),
  };
}

/** An integer option in min..max (`fallback` when absent); a clear error naming the option otherwise. */
export function intFlag(
  v: string | undefined,
  fallback: number,
  what: string,
  min = 1,
  max = 10_000,
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${what}: expected ${min}..${max}, got "${v}"`);
  return n;
}

/** A positive number option (`fallback` when absent); a clear error naming the option otherwise. */
export function numberFlag(v: string | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${what}: expected a positive number, got "${v}"`);
  return n;
}

/** A comma-separated list of integers, each in min..max (`fallback` when absent). */
export function intListFlag(
  v: string | undefined,
  fallback: number[],
  what: string,
  min: number,
  max: number,
): number[] {
  if (v === undefined) return fallback;
  return v.split(',').map((item) => intFlag(item.trim(), min, what, min, max));
}
