// Command line of bench/scale.ts (options: see its header and bench/README.md).
import { parseArgs } from 'node:util';

export function parseSettings(argv = process.argv.slice(2)) {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      personas: { type: 'string' },
      'seed-concurrency': { type: 'string' },
      'sync-concurrency': { type: 'string' },
      'max-wait': { type: 'string', default: '300' },
      'load-threshold': { type: 'string', default: '1.5' },
      out: { type: 'string' },
      'temporal-file': { type: 'boolean', default: false },
    },
  });
  const quick = flags.quick;
  const list = (v: string | undefined, fallback: number[], what: string) =>
    (v ? v.split(',').map(Number) : fallback).map((n) => {
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`--${what}: expected integers 1..256`);
      return n;
    });
  const recorded = {
    personas: Number(flags.personas ?? (quick ? 1000 : 10_000)),
    seedConcurrency: list(flags['seed-concurrency'], quick ? [16] : [8, 16, 32], 'seed-concurrency'),
    syncConcurrency: list(flags['sync-concurrency'], quick ? [16] : [16, 32, 64], 'sync-concurrency'),
    maxWaitMs: Number(flags['max-wait']) * 1000,
    loadThreshold: Number(flags['load-threshold']),
    taskQueue: 'persona-ticks-bench',
    temporalStore: flags['temporal-file'] ? 'sqlite-file' : 'in-memory',
  };
  if (!Number.isInteger(recorded.personas) || recorded.personas < 1 || recorded.personas > 100_000)
    throw new Error('--personas: 1..100000');
  return { quick, out: flags.out, temporalFile: flags['temporal-file'], recorded };
}

export type Settings = ReturnType<typeof parseSettings>;
