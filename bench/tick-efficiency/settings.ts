// Command line of bench/tick-efficiency.ts (options: see its header and bench/README.md).
import type { WorkerOptions } from '@temporalio/worker';
import { benchFlags, intFlag, intListFlag, numberFlag, QUIET_FLAGS, quietSettings } from '../settings.ts';

export function parseSettings(argv = process.argv.slice(2)) {
  const flags = benchFlags(argv, {
    ticks: { type: 'string' },
    delay: { type: 'string' },
    rounds: { type: 'string' },
    parallel: { type: 'string' },
    personas: { type: 'string' },
    workers: { type: 'string' },
    'lane-ticks': { type: 'string' },
    only: { type: 'string' },
    ...QUIET_FLAGS,
    'max-other-cores': { type: 'string' },
    against: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    goals: { type: 'boolean', default: false },
    'worker-options': { type: 'string' },
  });
  const quick = flags.quick;
  const only = flags.only;
  if (only && only !== 'efficiency' && only !== 'throughput')
    throw new Error('--only: efficiency | throughput');
  return {
    quick,
    only: only as 'efficiency' | 'throughput' | undefined,
    out: flags.out,
    verbose: flags.verbose,
    /** A saved results file to print today's figures beside. */
    against: flags.against,
    /** Experiments only: extra Temporal WorkerOptions (JSON) on top of what createTickWorker sets. */
    workerOptions: flags['worker-options']
      ? (JSON.parse(flags['worker-options']) as Partial<WorkerOptions>)
      : undefined,
    /** What the results file records as `settings`. */
    recorded: {
      ticks: intFlag(flags.ticks, quick ? 3 : 10, 'ticks', 1, 200),
      delayMs: intFlag(flags.delay, 200, 'delay', 0, 10_000),
      rounds: intFlag(flags.rounds, 5, 'rounds', 0, 11),
      parallel: intFlag(flags.parallel, 2, 'parallel', 1, 8),
      /** Throughput: persona counts (lanes) and worker process counts, every combination. */
      personaCounts: intListFlag(flags.personas, quick ? [8] : [20, 100], 'personas', 1, 200),
      workerCounts: intListFlag(flags.workers, [1, 2], 'workers', 1, 4),
      laneTicks: intFlag(flags['lane-ticks'], quick ? 2 : 5, 'lane-ticks', 1, 100),
      ...quietSettings(flags),
      maxOtherCores: numberFlag(flags['max-other-cores'], 0.25, 'max-other-cores'),
      /** Every persona carries a checked goal (the tick's goal step runs). */
      goals: flags.goals,
    },
  };
}

export type Settings = ReturnType<typeof parseSettings>;
