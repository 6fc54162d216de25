// The machine is shared: other people's test suites inflate every figure. Benchmarks wait (bounded)
// for a quiet machine before each measured phase, and say how quiet it was.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { clockTicks, cpuByCommand, sampleMachine } from './process-cpu.ts';
import { sum } from './stats.ts';

/** Cores used on average over `ms` by other processes and by this process tree. */
export async function coresOverWindow(ms: number): Promise<{ otherCores: number; ownCores: number }> {
  const m0 = sampleMachine();
  const c0 = sum([...cpuByCommand().values()]);
  await sleep(ms);
  const own = sum([...cpuByCommand().values()]) - c0;
  const m1 = sampleMachine();
  if (!m0 || !m1) return { otherCores: 0, ownCores: own / (ms / 1000) };
  const busy = (m1.busy - m0.busy) / clockTicks();
  return { otherCores: Math.max(0, busy - own) / (ms / 1000), ownCores: own / (ms / 1000) };
}

/**
 * Waits (bounded by `maxWaitMs`) until other processes (everything outside this process tree, whose
 * children count as its own) use less than `maxOtherCores` over a `windowMs` window and the 1-minute
 * load average is below `loadThreshold` — unless this process tree was itself busy in that window (its
 * own earlier phase, or a Temporal server still working through schedules, keep the load average up).
 */
export async function waitForQuietMachine(opts: {
  maxWaitMs: number;
  maxOtherCores?: number;
  loadThreshold?: number;
  windowMs?: number;
  /** Pause between windows while waiting. */
  pollMs?: number;
  say?: (line: string) => void;
}): Promise<{ quiet: boolean; load1: number; otherCores: number; waitedMs: number }> {
  const started = Date.now();
  const maxOther = opts.maxOtherCores ?? 0.25;
  for (;;) {
    const { otherCores, ownCores } = await coresOverWindow(opts.windowMs ?? 3000);
    const load1 = os.loadavg()[0]!;
    const quiet = otherCores < maxOther && (load1 < (opts.loadThreshold ?? Infinity) || ownCores > 0.3);
    if (quiet || Date.now() - started >= opts.maxWaitMs)
      return { quiet, load1, otherCores: +otherCores.toFixed(2), waitedMs: Date.now() - started };
    opts.say?.(
      `  waiting for a quieter machine: load average ${load1.toFixed(2)}, other processes ${otherCores.toFixed(2)} cores`,
    );
    await sleep(opts.pollMs ?? 5000);
  }
}
