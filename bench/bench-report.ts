// Reporting helpers every benchmark shares: machine info, plain-text tables, the results file and the
// commit measured; the command line is settings.ts. Statistics, CPU accounting and the quiet-machine
// wait are the harness's own (test/support/stats.ts, process-cpu.ts, quiet-machine.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
    loadAverage: loadAverage(),
  };
}

export const loadAverage = () => os.loadavg().map((l) => +l.toFixed(2));

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

export interface GitInfo {
  commit: string | null;
  /** Uncommitted changes (in `paths`, or anywhere in the tree). */
  dirty: boolean | null;
}

/** The commit measured, and whether the code a benchmark exercises had uncommitted changes. */
export function gitInfo(paths: string[] = []): GitInfo {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: PROJECT_DIR, encoding: 'utf8' }).trim();
    return {
      commit: git(['rev-parse', 'HEAD']),
      dirty: git(['status', '--porcelain', '--', ...paths]).length > 0,
    };
  } catch {
    return { commit: null, dirty: null };
  }
}
