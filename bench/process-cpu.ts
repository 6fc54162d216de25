// CPU accounting for the benchmark's child processes, from /proc (Linux only; elsewhere every figure
// is NaN and the benchmark still runs). A sample maps each pid of a process tree to its user+system
// CPU time; the difference of two samples is what the tree spent in between, split into the root
// process (the node server) and its descendants (the embedded Postgres: postmaster and backends).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse from the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

export interface TreeSample {
  rootPid: number;
  /** pid → CPU ticks, for the root and every live descendant. */
  ticks: Map<number, number>;
}

export function sampleTree(rootPid: number): TreeSample | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return undefined;
  }
  const stats = new Map<number, ProcStat>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) stats.set(pid, s);
  }
  if (!stats.has(rootPid)) return undefined;
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) {
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const ticks = new Map<number, number>();
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    ticks.set(pid, stats.get(pid)!.cpuTicks);
    queue.push(...(children.get(pid) ?? []));
  }
  return { rootPid, ticks };
}

/** CPU seconds spent between two samples by the root process and by its descendants. */
export function treeDelta(
  before: TreeSample | undefined,
  after: TreeSample | undefined,
): { rootSeconds: number; descendantsSeconds: number } {
  if (!before || !after) return { rootSeconds: Number.NaN, descendantsSeconds: Number.NaN };
  let root = 0;
  let descendants = 0;
  // Processes that exited in between are lost (their time goes to the parent's cutime, not read here);
  // the gateway's pool keeps its backends alive during a measured phase, so this is rare.
  for (const [pid, t1] of after.ticks) {
    const d = t1 - (before.ticks.get(pid) ?? 0);
    if (pid === after.rootPid) root += d;
    else descendants += d;
  }
  const hz = clockTicks();
  return { rootSeconds: root / hz, descendantsSeconds: descendants / hz };
}

/** Whole-machine busy fraction between two /proc/stat samples. */
export function sampleMachine(): { busy: number; total: number } | undefined {
  // Jiffies summed over all CPUs: busy = everything but idle and iowait.
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export function machineBusyFraction(
  before: ReturnType<typeof sampleMachine>,
  after: ReturnType<typeof sampleMachine>,
): number {
  if (!before || !after || after.total === before.total) return Number.NaN;
  return (after.busy - before.busy) / (after.total - before.total);
}

/** CPU seconds of busy time on the whole machine between two samples (all cores together). */
export function machineBusySeconds(
  before: ReturnType<typeof sampleMachine>,
  after: ReturnType<typeof sampleMachine>,
): number {
  if (!before || !after) return Number.NaN;
  return (after.busy - before.busy) / clockTicks();
}

/**
 * Waits (bounded) until the machine is quiet: the benchmark's own processes idle, so any busy time is
 * someone else's. Returns the busy fraction last seen and whether it was below `threshold`.
 */
export async function waitForQuiet(opts: {
  threshold: number;
  windowMs: number;
  maxWaitMs: number;
  onWait?(busy: number): void;
}): Promise<{ quiet: boolean; busy: number }> {
  const deadline = Date.now() + opts.maxWaitMs;
  let busy = Number.NaN;
  for (;;) {
    const before = sampleMachine();
    await new Promise((resolve) => setTimeout(resolve, opts.windowMs));
    busy = machineBusyFraction(before, sampleMachine());
    if (Number.isNaN(busy) || busy <= opts.threshold) return { quiet: true, busy };
    if (Date.now() >= deadline) return { quiet: false, busy };
    opts.onWait?.(busy);
  }
}
