// CPU accounting for benchmarks, from /proc (Linux only; elsewhere every figure
// is NaN and the benchmark still runs). A sample maps each pid of a process tree to its user+system
// CPU time; the difference of two samples is what the tree spent in between, split into the root
// process (the node server) and its descendants (the embedded Postgres: postmaster and backends).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

// Module-level: USER_HZ does not change while the process runs; asked once.
let ticksPerSecond: number | undefined;
export function clockTicks(): number {
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
  comm: string;
  ppid: number;
  cpuTicks: number;
}

/** Every live process's command name, parent and CPU ticks; undefined without /proc. */
function readProcesses(): Map<number, ProcStat> | undefined {
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
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: parse from the last ')'.
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(pid, { comm, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return stats;
}

/** `rootPid` and every live descendant of it. */
function processTree(stats: Map<number, ProcStat>, rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    if (!stats.has(pid)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface TreeSample {
  rootPid: number;
  /** pid → CPU ticks, for the root and every live descendant. */
  ticks: Map<number, number>;
}

export function sampleTree(rootPid: number): TreeSample | undefined {
  const stats = readProcesses();
  if (!stats?.has(rootPid)) return undefined;
  return {
    rootPid,
    ticks: new Map(processTree(stats, rootPid).map((pid) => [pid, stats.get(pid)!.cpuTicks])),
  };
}

/**
 * CPU seconds used so far by this process and its descendants, grouped by command name (`node` is
 * this process; the embedded Postgres shows as `postgres`, the Temporal dev server as `temporal`).
 * Linux /proc only; elsewhere an empty map. Exited processes are lost, so compare live trees only.
 */
export function cpuByCommand(rootPid = process.pid): Map<string, number> {
  const out = new Map<string, number>();
  const stats = readProcesses();
  if (!stats) return out;
  for (const pid of processTree(stats, rootPid)) {
    const s = stats.get(pid)!;
    const name = pid === rootPid ? 'node' : s.comm.startsWith('postgres') ? 'postgres' : s.comm;
    out.set(name, (out.get(name) ?? 0) + s.cpuTicks / clockTicks());
  }
  return out;
}

export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  // A process that exited in between takes its time with it: clamp at 0 rather than report less.
  for (const [k, v] of after) out[k] = +Math.max(0, v - (before.get(k) ?? 0)).toFixed(2);
  return out;
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
