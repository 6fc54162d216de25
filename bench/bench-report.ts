// Shared reporting helpers of bench/tick-efficiency.ts and bench/scale.ts: machine info, a bounded wait
// for a quiet machine (load average), percentiles, plain-text tables and the results file.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleMachine } from './process-cpu.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_DIR = path.resolve(BENCH_DIR, '..');

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

export const loadAverage = () => os.loadavg().map((l) => +l.toFixed(2));

/**
 * Waits (bounded) for a quiet machine: other processes (everything outside this process tree) using
 * less than `maxOtherCores` over a 3 s window, and the 1-minute load average below `threshold` —
 * unless this benchmark's own processes were busy in that window (its own earlier phase, or the
 * Temporal server still working through its schedules, keep the load average up too).
 * The machine is shared: other people's test suites inflate every figure.
 */
export async function waitForLowLoad(opts: {
  threshold: number;
  maxWaitMs: number;
  maxOtherCores?: number;
  say?: (line: string) => void;
}): Promise<{ quiet: boolean; load1: number; otherCores: number; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const { otherCores, ownCores } = await coresOverWindow(3000);
    const load1 = os.loadavg()[0]!;
    const quiet = otherCores < (opts.maxOtherCores ?? 0.25) && (load1 < opts.threshold || ownCores > 0.3);
    if (quiet || Date.now() - started >= opts.maxWaitMs)
      return { quiet, load1, otherCores: +otherCores.toFixed(2), waitedMs: Date.now() - started };
    opts.say?.(
      `  waiting for a quieter machine: load average ${load1.toFixed(2)}, other processes ${otherCores.toFixed(2)} cores`,
    );
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/** Cores used on average over `ms` by other processes and by this process tree. */
export async function coresOverWindow(ms: number): Promise<{ otherCores: number; ownCores: number }> {
  const m0 = sampleMachine();
  const c0 = sumValues(cpuByCommand());
  await new Promise((r) => setTimeout(r, ms));
  const own = sumValues(cpuByCommand()) - c0;
  const m1 = sampleMachine();
  if (!m0 || !m1) return { otherCores: 0, ownCores: own / (ms / 1000) };
  const busy = (m1.busy - m0.busy) / CLOCK_TICKS;
  return { otherCores: Math.max(0, busy - own) / (ms / 1000), ownCores: own / (ms / 1000) };
}

const sumValues = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Nearest-rank percentile (p in 0..100) of the values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes `bench/results/<name>.json` (or `<name>.quick.tmp.json`, git-ignored, for smoke runs). */
export function writeResults(name: string, quick: boolean, data: unknown, out?: string): string {
  const file = out
    ? path.resolve(out)
    : path.join(BENCH_DIR, 'results', quick ? `${name}.quick.tmp.json` : `${name}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/**
 * CPU seconds used so far by this process and its descendants, grouped by command name (`node` is
 * this process; the embedded Postgres shows as `postgres`, the Temporal dev server as `temporal`).
 * Linux /proc only; elsewhere an empty map. Exited processes are lost, so compare live trees only.
 */
export function cpuByCommand(rootPid = process.pid): Map<string, number> {
  const out = new Map<string, number>();
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return out;
  }
  const stats = new Map<number, { comm: string; ppid: number; ticks: number }>();
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(pid, { comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    const s = stats.get(pid);
    if (!s) continue;
    const name = pid === rootPid ? 'node' : s.comm.startsWith('postgres') ? 'postgres' : s.comm;
    out.set(name, (out.get(name) ?? 0) + s.ticks / CLOCK_TICKS);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Linux's USER_HZ is 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  // A process that exited in between takes its time with it: clamp at 0 rather than report less.
  for (const [k, v] of after) out[k] = +Math.max(0, v - (before.get(k) ?? 0)).toFixed(2);
  return out;
}

// One /proc/stat sampler for every benchmark: process-cpu.ts (used by gateway-latency) has it.
export { sampleMachine as machineBusy, machineBusyFraction as busyFraction } from './process-cpu.ts';
