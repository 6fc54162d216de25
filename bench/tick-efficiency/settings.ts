// Command line of bench/tick-efficiency.ts (options: see its header and bench/README.md).
import { parseArgs } from 'node:util';
import type { WorkerOptions } from '@temporalio/worker';
import { intFlag } from '../bench-report.ts';

export function parseSettings(argv = process.argv.slice(2)) {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      ticks: { type: 'string' },
      delay: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '5' },
      parallel: { type: 'string', default: '2' },
      personas: { type: 'string' },
      workers: { type: 'string' },
      'lane-ticks': { type: 'string' },
      only: { type: 'string' },
      'max-wait': { type: 'string', default: '300' },
      'load-threshold': { type: 'string', default: '1.5' },
      'max-other-cores': { type: 'string', default: '0.25' },
      out: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'worker-options': { type: 'string' },
    },
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
      personaCounts: list(flags.personas, quick ? '8' : '20,100', 'personas', 1, 200),
      workerCounts: list(flags.workers, quick ? '1,2' : '1,2', 'workers', 1, 4),
      laneTicks: intFlag(flags['lane-ticks'], quick ? 2 : 5, 'lane-ticks', 1, 100),
      maxWaitMs: intFlag(flags['max-wait'], 300, 'max-wait', 0, 3600) * 1000,
      maxOtherCores: Number(flags['max-other-cores']),
      loadThreshold: Number(flags['load-threshold']),
    },
  };
}

/** A comma-separated list of integers, each within [min, max]. */
function list(value: string | undefined, fallback: string, name: string, min: number, max: number): number[] {
  return (value ?? fallback).split(',').map((v) => intFlag(v.trim(), min, name, min, max));
}

export type Settings = ReturnType<typeof parseSettings>;
