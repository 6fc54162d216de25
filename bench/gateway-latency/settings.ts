// Command line of bench/gateway-latency.ts (options: see its header and bench/README.md).
import path from 'node:path';
import { PROJECT_DIR } from '../bench-report.ts';
import { benchFlags, numberFlag as num } from '../settings.ts';

export function parseSettings(argv = process.argv.slice(2)) {
  const flags = benchFlags(argv, {
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    profile: { type: 'boolean', default: false },
    diagnose: { type: 'boolean', default: false },
    'max-wait': { type: 'string' },
    only: { type: 'string' },
    'gateway-node-flags': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  });
  const quick = flags.quick;
  return {
    flags,
    load: {
      concurrency: Math.round(num(flags.concurrency, 16, 'concurrency')),
      rounds: Math.round(num(flags.rounds, quick ? 1 : 3, 'rounds')),
      warmupMs: num(flags.warmup, quick ? 1 : 3, 'warmup') * 1000,
      durationMs: num(flags.duration, quick ? 3 : 10, 'duration') * 1000,
      // Bound on measured calls per run: far above what 2 cores do in `duration` seconds.
      maxCalls: 200_000,
    },
    // The machine is shared: before each run wait (bounded) until it is idle, and repeat a run (at most
    // maxRetries times) during which other processes used more than maxOtherCpu of the cores.
    quiet: {
      idleBusyThreshold: 0.1,
      maxOtherCpu: 0.1,
      maxWaitMs: num(flags['max-wait'], quick ? 20 : 120, 'max-wait') * 1000,
    },
    maxRetries: quick ? 0 : 2,
    only: flags.only?.split(',').map((x) => x.trim()),
    outFile: path.resolve(
      PROJECT_DIR,
      flags.out ??
        (quick ? 'bench/results/gateway-latency.quick.tmp.json' : 'bench/results/gateway-latency.json'),
    ),
    profileDir: path.join(PROJECT_DIR, '.data', 'bench', 'profiles'),
  };
}

export type Settings = ReturnType<typeof parseSettings>;
