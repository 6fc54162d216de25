// Command line of bench/gateway-latency.ts (options: see its header and bench/README.md).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_DIR } from '../bench-report.ts';

function num(v: string | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${what}: expected a positive number, got "${v}"`);
  return n;
}

export function parseSettings(argv = process.argv.slice(2)) {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
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
      out: { type: 'string' },
    },
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
