// Running the scenarios of bench/gateway-latency.ts: one warm-up + measured load run at a time, with
// the CPU accounting of every process involved, over rounds that rotate the scenario order (reducing
// drift and order effects); a run during which other work used the machine is repeated (bounded).
import os from 'node:os';
import { fmt } from '../bench-report.ts';
import {
  machineBusyFraction,
  machineBusySeconds,
  sampleMachine,
  sampleTree,
  treeDelta,
  type TreeSample,
} from '../../test/support/process-cpu.ts';
import { waitForQuietMachine } from '../../test/support/quiet-machine.ts';
import { runLoad, type LoadResult } from './load-client.ts';
import type { Scenario, ServerId } from './scenarios.ts';
import type { Settings } from './settings.ts';

export interface RunFigures extends LoadResult {
  round: number;
  serverCpuUsPerCall: number;
  postgresCpuUsPerCall: number;
  machineBusy: number;
  /** Busy time of processes that are not part of the benchmark, as a fraction of all cores. */
  otherCpu: number;
  startedQuiet: boolean;
  /** Started on a quiet machine and stayed mostly uncontended (see Settings.quiet). */
  valid: boolean;
}

type Pids = Record<ServerId, number>;

/** One warm-up + measured run of a scenario, with the CPU accounting of every process involved. */
async function measureRun(
  settings: Settings,
  pids: Pids,
  scenario: Scenario,
  round: number,
  startedQuiet: boolean,
): Promise<RunFigures> {
  const servers = Object.keys(pids) as ServerId[];
  type Samples = { trees: Partial<Record<ServerId, TreeSample>>; machine: ReturnType<typeof sampleMachine> };
  let s0: Samples | undefined;
  let s1: Samples | undefined;
  const sample = (): Samples => ({
    trees: Object.fromEntries(servers.map((id) => [id, sampleTree(pids[id])])),
    machine: sampleMachine(),
  });
  const runTag = `${Date.now().toString(36)}-${round}`;
  const r = await runLoad(scenario.target(runTag), {
    ...settings.load,
    onMeasureStart: () => void (s0 = sample()),
    onMeasureEnd: () => void (s1 = sample()),
  });
  const cpu = Object.fromEntries(
    servers.map((id) => [id, treeDelta(s0?.trees[id], s1?.trees[id])]),
  ) as Record<ServerId, ReturnType<typeof treeDelta>>;
  const server = cpu[scenario.server];
  const ours =
    servers.reduce((a, id) => a + cpu[id].rootSeconds + cpu[id].descendantsSeconds, 0) +
    (r.clientCpuUsPerCall * r.calls) / 1e6;
  const capacity = (r.elapsedMs / 1000) * os.cpus().length;
  const otherCpu = Math.max(0, (machineBusySeconds(s0?.machine, s1?.machine) - ours) / capacity);
  return {
    ...r,
    round: round + 1,
    serverCpuUsPerCall: (server.rootSeconds * 1e6) / r.calls,
    // The embedded Postgres is the gateway child's descendant; it serves the same-SQL server too.
    postgresCpuUsPerCall:
      scenario.server === 'bare' ? Number.NaN : (cpu.gateway.descendantsSeconds * 1e6) / r.calls,
    machineBusy: machineBusyFraction(s0?.machine, s1?.machine),
    otherCpu,
    startedQuiet,
    valid: startedQuiet && !(otherCpu > settings.quiet.maxOtherCpu),
  };
}

/**
 * Every scenario once per round; returns each scenario's runs, round by round. `settle` runs after a
 * scenario that writes, outside any measured window: the thousands of rows it inserted would otherwise
 * set autovacuum off during whichever run comes next (a read measured against a read on a quieter
 * database read 0.66× instead of ≈ 0.9×).
 */
export async function runRounds(
  settings: Settings,
  pids: Pids,
  all: Scenario[],
  settle?: () => Promise<void>,
): Promise<Map<string, RunFigures[]>> {
  const results = new Map<string, RunFigures[]>(all.map((s) => [s.id, []]));
  for (let round = 0; round < settings.load.rounds; round++) {
    // Rotate the order each round, so no scenario always runs first (cold) or right after another.
    const order = all.map((_, k) => all[(k + round) % all.length]!);
    for (const scenario of order) {
      let figures: RunFigures | undefined;
      for (let attempt = 0; attempt <= settings.maxRetries && !figures?.valid; attempt++) {
        // The benchmark's own children count as its own: other work only is waited for.
        const quiet = await waitForQuietMachine({
          maxOtherCores: settings.quiet.idleBusyThreshold * os.cpus().length,
          windowMs: 1000,
          pollMs: 0,
          maxWaitMs: settings.quiet.maxWaitMs,
          say: (line) => process.stderr.write(`${line}\n`),
        });
        figures = await measureRun(settings, pids, scenario, round, quiet.quiet);
        process.stderr.write(
          `  round ${round + 1} ${scenario.label.padEnd(36)} ${fmt(figures.throughput, 0).padStart(6)} calls/s` +
            `  p50 ${fmt(figures.latencyMs.p50, 2)} ms  p99 ${fmt(figures.latencyMs.p99, 2)} ms` +
            `  (other load ${fmt(figures.otherCpu * 100, 0)}%)` +
            (figures.errors ? `  ${figures.errors} ERRORS (${figures.firstError})` : '') +
            (figures.valid
              ? ''
              : attempt < settings.maxRetries
                ? '  → contended, repeating'
                : '  → contended, kept') +
            '\n',
        );
      }
      results.get(scenario.id)!.push(figures!);
      if (scenario.writes) await settle?.();
    }
  }
  return results;
}
