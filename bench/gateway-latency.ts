// Tool-call latency and throughput of the MCP gateway against a bare SDK server.
//
//   node --import tsx bench/gateway-latency.ts            full run (3 rounds × 4 scenarios, ~3 min)
//   node --import tsx bench/gateway-latency.ts --quick    smoke run (1 round, short phases)
//   options: --rounds N --warmup S --duration S --concurrency N --profile --diagnose --verbose --out FILE
//            --max-wait S (bound on waiting for a quiet machine) --only id,id (scenario ids; bare_echo
//            is always kept, it is the reference) --gateway-node-flags="…" (extra node flags for the
//            gateway child, e.g. "--max-semi-space-size=64", to try runtime tuning)
//
// Spawns bench/bare-server.ts and bench/gateway-server.ts as child processes (the gateway runs as its
// own process in production too), then drives both with the same closed-loop client code
// (bench/load-client.ts, `concurrency` sessions). Scenarios:
//   bare echo               the SDK's floor: one trivial tool, no auth, no database
//   gateway todo_list       read tool: auth, policy, zod, one read-only transaction
//   gateway todo_create     write tool as the worker calls it: with an idempotency key
//   gateway todo_create/nk  the same without an idempotency key (supplementary: shows the key's cost)
//   gateway bench_echo      only with --diagnose: the gateway's path around a no-op handler (auth,
//                           session, policy, zod, metrics, empty BEGIN/COMMIT): plumbing vs tool work
//   gateway todo_list 1     only with --diagnose: todo_list returning 1 row instead of 20: the query
//                           round trip without the 20-row payload (drizzle mapping, JSON, response)
// Rounds rotate the scenario order (reducing drift and order effects); each figure reported is the
// median over rounds. Writes bench/results/gateway-latency.json (a --quick run writes
// gateway-latency.quick.tmp.json, git-ignored, so a smoke run never overwrites real results).
//
// --profile starts the gateway child with --cpu-prof (profiles in .data/bench/profiles) and prints a
// summary of where the gateway's CPU went (bench/cpu-profile-summary.ts).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summariseCpuProfile } from './cpu-profile-summary.ts';
import { runLoad, type LoadResult, type LoadTarget } from './load-client.ts';
import {
  machineBusyFraction,
  machineBusySeconds,
  sampleMachine,
  sampleTree,
  treeDelta,
  waitForQuiet,
  type TreeSample,
} from './process-cpu.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const { values: flags } = parseArgs({
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

function num(v: string | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${what}: expected a positive number, got "${v}"`);
  return n;
}

const settings = {
  concurrency: Math.round(num(flags.concurrency, 16, 'concurrency')),
  rounds: Math.round(num(flags.rounds, flags.quick ? 1 : 3, 'rounds')),
  warmupMs: num(flags.warmup, flags.quick ? 1 : 3, 'warmup') * 1000,
  durationMs: num(flags.duration, flags.quick ? 3 : 10, 'duration') * 1000,
  // Bound on measured calls per run: far above what 2 cores do in `duration` seconds.
  maxCalls: 200_000,
};
const GOAL = { minThroughputRatio: 0.9, maxP99Ratio: 1.5 };
// The machine is shared: before each run wait (bounded) until it is idle, and repeat a run (at most
// MAX_RETRIES times) during which other processes used more than maxOtherCpu of the cores.
const QUIET = {
  idleBusyThreshold: 0.1,
  maxOtherCpu: 0.1,
  maxWaitMs: num(flags['max-wait'], flags.quick ? 20 : 120, 'max-wait') * 1000,
};
const MAX_RETRIES = flags.quick ? 0 : 2;
const outFile = path.resolve(
  root,
  flags.out ??
    (flags.quick ? 'bench/results/gateway-latency.quick.tmp.json' : 'bench/results/gateway-latency.json'),
);
const profileDir = path.join(root, '.data', 'bench', 'profiles');

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Child<T> {
  name: string;
  proc: ChildProcess;
  ready: T;
  logTail: string[];
}

async function spawnServer<T>(name: string, script: string, args: string[], nodeFlags: string[] = []) {
  const proc = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logTail: string[] = [];
  const keep = (line: string) => {
    if (flags.verbose) process.stderr.write(`[${name}] ${line}\n`);
    logTail.push(line);
    if (logTail.length > 40) logTail.shift();
  };
  createInterface({ input: proc.stderr! }).on('line', keep);
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 180 s`)), 180_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith('{"benchReady":true')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      } else keep(line);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code}):\n${logTail.join('\n')}`));
    });
  });
  return { name, proc, ready, logTail } satisfies Child<T>;
}

async function stopServer(child: Child<unknown> | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  id: string;
  label: string;
  server: 'bare' | 'gateway';
  /** Counts towards the goal (the supplementary scenario does not). */
  goal: boolean;
  target(runTag: string): LoadTarget;
}

interface BareReady {
  mcpUrl: string;
  pid: number;
}
interface GatewayReady {
  mcpUrl: string;
  pid: number;
  readers: string[];
  writers: string[];
}

function scenarios(bare: BareReady, gw: GatewayReady): Scenario[] {
  const createArgs = (i: number, seq: number) => ({ title: `bench todo ${i}-${seq}: water the plants` });
  const diagnostic: Scenario[] = flags.diagnose
    ? [
        {
          id: 'gateway_bench_echo',
          label: 'gateway bench_echo (diagnostic)',
          server: 'gateway',
          goal: false,
          target: () => ({
            mcpUrl: gw.mcpUrl,
            tokens: gw.readers,
            tool: 'bench_echo',
            args: () => ({ text: 'buy oat milk and call the dentist' }),
          }),
        },
        {
          id: 'gateway_todo_list_1',
          label: 'gateway todo_list limit 1 (diagnostic)',
          server: 'gateway',
          goal: false,
          target: () => ({
            mcpUrl: gw.mcpUrl,
            tokens: gw.readers,
            tool: 'todo_list',
            args: () => ({ limit: 1 }),
          }),
        },
      ]
    : [];
  return [
    {
      id: 'bare_echo',
      label: 'bare SDK echo',
      server: 'bare',
      goal: false,
      target: () => ({
        mcpUrl: bare.mcpUrl,
        tokens: [],
        tool: 'echo',
        args: () => ({ text: 'buy oat milk and call the dentist' }),
      }),
    },
    {
      id: 'gateway_todo_list',
      label: 'gateway todo_list',
      server: 'gateway',
      goal: true,
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.readers, tool: 'todo_list', args: () => ({}) }),
    },
    {
      id: 'gateway_todo_create',
      label: 'gateway todo_create',
      server: 'gateway',
      goal: true,
      target: (runTag) => ({
        mcpUrl: gw.mcpUrl,
        tokens: gw.writers,
        tool: 'todo_create',
        args: createArgs,
        // As the worker calls write tools: one fresh idempotency key per call.
        meta: (i, seq) => ({ idempotencyKey: `bench-${runTag}-${i}-${seq}` }),
      }),
    },
    {
      id: 'gateway_todo_create_nokey',
      label: 'gateway todo_create (no idem. key)',
      server: 'gateway',
      goal: false,
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.writers, tool: 'todo_create', args: createArgs }),
    },
    ...diagnostic,
  ];
}

interface RunFigures extends LoadResult {
  round: number;
  serverCpuUsPerCall: number;
  postgresCpuUsPerCall: number;
  machineBusy: number;
  /** Busy time of processes that are not part of the benchmark, as a fraction of all cores. */
  otherCpu: number;
  startedQuiet: boolean;
  /** Started on a quiet machine and stayed mostly uncontended (see QUIET). */
  valid: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Statistics and output

const median = (xs: number[]): number => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Summary {
  calls: number;
  errors: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  serverCpuUsPerCall: number;
  postgresCpuUsPerCall: number;
  clientCpuUsPerCall: number;
  machineBusy: number;
  otherCpu: number;
  contendedRuns: number;
}

function summarise(runs: RunFigures[]): Summary {
  const m = (f: (r: RunFigures) => number) => median(runs.map(f));
  return {
    calls: runs.reduce((a, r) => a + r.calls, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    throughput: m((r) => r.throughput),
    p50: m((r) => r.latencyMs.p50),
    p90: m((r) => r.latencyMs.p90),
    p99: m((r) => r.latencyMs.p99),
    max: Math.max(...runs.map((r) => r.latencyMs.max)),
    serverCpuUsPerCall: m((r) => r.serverCpuUsPerCall),
    postgresCpuUsPerCall: m((r) => r.postgresCpuUsPerCall),
    clientCpuUsPerCall: m((r) => r.clientCpuUsPerCall),
    machineBusy: m((r) => r.machineBusy),
    otherCpu: m((r) => r.otherCpu),
    contendedRuns: runs.filter((r) => !r.valid).length,
  };
}

const round1 = (x: number, d = 1) => (Number.isNaN(x) ? null : Number(x.toFixed(d)));
const fmt = (x: number, d = 2) => (Number.isNaN(x) ? '–' : x.toFixed(d));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r, i) => {
      const line = r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function gitInfo(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'mcp-gateway', 'lib', 'schema', 'bench'], {
        cwd: root,
        encoding: 'utf8',
      }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

// ---------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryGb: round1(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => round1(l, 2)),
  };
  process.stderr.write(
    `gateway-latency: ${machine.cpuModel} × ${machine.cores}, node ${machine.nodeVersion}; ` +
      `concurrency ${settings.concurrency}, ${settings.rounds} round(s) of ` +
      `${settings.warmupMs / 1000}s warm-up + ${settings.durationMs / 1000}s measured per scenario\n`,
  );

  let bare: Child<BareReady> | undefined;
  let gateway: Child<GatewayReady> | undefined;
  const profileStart = Date.now();
  try {
    process.stderr.write('starting bare server and gateway (scratch database)…\n');
    if (flags.profile) mkdirSync(profileDir, { recursive: true });
    [bare, gateway] = await Promise.all([
      spawnServer<BareReady>('bare', 'bench/bare-server.ts', []),
      spawnServer<GatewayReady>(
        'gateway',
        'bench/gateway-server.ts',
        ['--users', String(settings.concurrency), ...(flags.diagnose ? ['--diagnose'] : [])],
        [
          ...(flags['gateway-node-flags']?.split(/\s+/).filter(Boolean) ?? []),
          ...(flags.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
        ],
      ),
    ]);
    const onlyIds = flags.only?.split(',').map((x) => x.trim());
    const all = scenarios(bare.ready, gateway.ready).filter(
      (s) => !onlyIds || s.id === 'bare_echo' || onlyIds.includes(s.id),
    );
    const results = new Map<string, RunFigures[]>(all.map((s) => [s.id, []]));
    const pids = { bare: bare.ready.pid, gateway: gateway.ready.pid };

    /** One warm-up + measured run of a scenario, with the CPU accounting of every process involved. */
    const measureRun = async (
      scenario: Scenario,
      round: number,
      startedQuiet: boolean,
    ): Promise<RunFigures> => {
      type Samples = { bare?: TreeSample; gateway?: TreeSample; machine: ReturnType<typeof sampleMachine> };
      let s0: Samples | undefined;
      let s1: Samples | undefined;
      const sample = (): Samples => ({
        bare: sampleTree(pids.bare),
        gateway: sampleTree(pids.gateway),
        machine: sampleMachine(),
      });
      const runTag = `${Date.now().toString(36)}-${round}`;
      const r = await runLoad(scenario.target(runTag), {
        ...settings,
        onMeasureStart: () => void (s0 = sample()),
        onMeasureEnd: () => void (s1 = sample()),
      });
      const bareCpu = treeDelta(s0?.bare, s1?.bare);
      const gwCpu = treeDelta(s0?.gateway, s1?.gateway);
      const server = scenario.server === 'bare' ? bareCpu : gwCpu;
      const ours =
        bareCpu.rootSeconds +
        bareCpu.descendantsSeconds +
        gwCpu.rootSeconds +
        gwCpu.descendantsSeconds +
        (r.clientCpuUsPerCall * r.calls) / 1e6;
      const capacity = (r.elapsedMs / 1000) * os.cpus().length;
      const otherCpu = Math.max(0, (machineBusySeconds(s0?.machine, s1?.machine) - ours) / capacity);
      return {
        ...r,
        round: round + 1,
        serverCpuUsPerCall: (server.rootSeconds * 1e6) / r.calls,
        postgresCpuUsPerCall:
          scenario.server === 'gateway' ? (server.descendantsSeconds * 1e6) / r.calls : Number.NaN,
        machineBusy: machineBusyFraction(s0?.machine, s1?.machine),
        otherCpu,
        startedQuiet,
        valid: startedQuiet && !(otherCpu > QUIET.maxOtherCpu),
      };
    };

    for (let round = 0; round < settings.rounds; round++) {
      // Rotate the order each round, so no scenario always runs first (cold) or right after another.
      const order = all.map((_, k) => all[(k + round) % all.length]!);
      for (const scenario of order) {
        let figures: RunFigures | undefined;
        for (let attempt = 0; attempt <= MAX_RETRIES && !figures?.valid; attempt++) {
          const quiet = await waitForQuiet({
            threshold: QUIET.idleBusyThreshold,
            windowMs: 1000,
            maxWaitMs: QUIET.maxWaitMs,
            onWait: (busy) =>
              process.stderr.write(`  (machine ${fmt(busy * 100, 0)}% busy with other work; waiting…)\n`),
          });
          figures = await measureRun(scenario, round, quiet.quiet);
          process.stderr.write(
            `  round ${round + 1} ${scenario.label.padEnd(36)} ${fmt(figures.throughput, 0).padStart(6)} calls/s` +
              `  p50 ${fmt(figures.latencyMs.p50)} ms  p99 ${fmt(figures.latencyMs.p99)} ms` +
              `  (other load ${fmt(figures.otherCpu * 100, 0)}%)` +
              (figures.errors ? `  ${figures.errors} ERRORS (${figures.firstError})` : '') +
              (figures.valid
                ? ''
                : attempt < MAX_RETRIES
                  ? '  → contended, repeating'
                  : '  → contended, kept') +
              '\n',
          );
        }
        results.get(scenario.id)!.push(figures!);
      }
    }

    // ------------------------------------------------------------------ summary
    const summaries = new Map(all.map((s) => [s.id, summarise(results.get(s.id)!)]));
    const bareS = summaries.get('bare_echo')!;
    const ratios = Object.fromEntries(
      all
        .filter((s) => s.server === 'gateway')
        .map((s) => {
          const g = summaries.get(s.id)!;
          const perRound = results.get(s.id)!.map((run, k) => {
            const b = results.get('bare_echo')![k]!;
            return {
              throughput: round1(run.throughput / b.throughput, 3),
              p99: round1(run.latencyMs.p99 / b.latencyMs.p99, 3),
            };
          });
          const throughput = g.throughput / bareS.throughput;
          const p99 = g.p99 / bareS.p99;
          return [
            s.id,
            {
              throughput: round1(throughput, 3),
              p99: round1(p99, 3),
              countsTowardsGoal: s.goal,
              meetsThroughputGoal: throughput >= GOAL.minThroughputRatio,
              meetsP99Goal: p99 <= GOAL.maxP99Ratio,
              perRound,
            },
          ];
        }),
    ) as Record<
      string,
      {
        throughput: number | null;
        p99: number | null;
        countsTowardsGoal: boolean;
        meetsThroughputGoal: boolean;
        meetsP99Goal: boolean;
      }
    >;
    const goalEvaluated = ['gateway_todo_list', 'gateway_todo_create'].every((id) => ratios[id]);
    const goalMet =
      goalEvaluated &&
      all.filter((s) => s.goal).every((s) => ratios[s.id]!.meetsThroughputGoal && ratios[s.id]!.meetsP99Goal);
    const anyErrors = [...summaries.values()].some((s) => s.errors > 0);
    const contended = [...summaries.values()].reduce((a, s) => a + s.contendedRuns, 0);

    const rows = [
      [
        'scenario',
        'calls/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'thr ×bare',
        'p99 ×bare',
        'server CPU µs/call',
        'pg CPU µs/call',
        'client CPU µs/call',
        'machine busy',
        'other load',
        'errors',
      ],
      ...all.map((s) => {
        const x = summaries.get(s.id)!;
        const ratio = ratios[s.id];
        return [
          s.label,
          fmt(x.throughput, 0),
          fmt(x.p50),
          fmt(x.p90),
          fmt(x.p99),
          fmt(x.max),
          ratio ? `${fmt(ratio.throughput ?? Number.NaN)}${ratio.meetsThroughputGoal ? '' : ' ✗'}` : '1.00',
          ratio ? `${fmt(ratio.p99 ?? Number.NaN)}${ratio.meetsP99Goal ? '' : ' ✗'}` : '1.00',
          fmt(x.serverCpuUsPerCall, 0),
          fmt(x.postgresCpuUsPerCall, 0),
          fmt(x.clientCpuUsPerCall, 0),
          `${fmt(x.machineBusy * 100, 0)}%`,
          `${fmt(x.otherCpu * 100, 0)}%${x.contendedRuns ? ` (${x.contendedRuns} contended)` : ''}`,
          String(x.errors),
        ];
      }),
    ];
    const out = [
      '',
      `median of ${settings.rounds} round(s); concurrency ${settings.concurrency}; ` +
        `${settings.durationMs / 1000}s measured per run; ${machine.cores} × ${machine.cpuModel}; node ${machine.nodeVersion}`,
      table(rows),
      '',
      `goal: gateway ≥ ${GOAL.minThroughputRatio}× bare throughput and p99 ≤ ${GOAL.maxP99Ratio}× bare p99 ` +
        `(todo_list and todo_create): ${!goalEvaluated ? 'not evaluated (--only)' : goalMet ? 'MET' : 'NOT MET'}` +
        (anyErrors ? ' — WARNING: some calls failed, figures are not valid' : ''),
      ...(contended
        ? [
            `WARNING: ${contended} run(s) shared the machine with other work (see "other load"); figures are noisier`,
          ]
        : []),
      '',
    ].join('\n');
    process.stdout.write(out);

    const report = {
      benchmark: 'gateway-latency',
      date: new Date().toISOString(),
      machine,
      git: gitInfo(),
      settings: {
        ...settings,
        quick: flags.quick,
        profiled: flags.profile,
        diagnose: flags.diagnose,
        gatewayNodeFlags: flags['gateway-node-flags'] ?? null,
        gateway: {
          POLICY_MODE: 'log-only',
          POLICY_RATE_LIMIT: 1_000_000_000,
          enableJsonResponse: true,
          usersPerRole: settings.concurrency,
        },
        bare: { enableJsonResponse: true, tool: 'echo' },
        statistic: 'median over rounds of each per-run figure; latency percentiles are nearest-rank',
        quiet: { ...QUIET, maxRetries: MAX_RETRIES },
      },
      goal: { ...GOAL, evaluated: goalEvaluated, met: goalMet, anyErrors, contendedRuns: contended },
      ratios,
      scenarios: Object.fromEntries(
        all.map((s) => {
          const x = summaries.get(s.id)!;
          return [
            s.id,
            {
              label: s.label,
              median: {
                throughputPerSecond: round1(x.throughput),
                latencyMs: {
                  p50: round1(x.p50, 3),
                  p90: round1(x.p90, 3),
                  p99: round1(x.p99, 3),
                  max: round1(x.max, 3),
                },
                serverCpuUsPerCall: round1(x.serverCpuUsPerCall, 0),
                postgresCpuUsPerCall: round1(x.postgresCpuUsPerCall, 0),
                clientCpuUsPerCall: round1(x.clientCpuUsPerCall, 0),
                machineBusy: round1(x.machineBusy, 3),
                otherCpu: round1(x.otherCpu, 3),
              },
              contendedRuns: x.contendedRuns,
              totalCalls: x.calls,
              totalErrors: x.errors,
              rounds: results.get(s.id)!.map((r) => ({
                round: r.round,
                calls: r.calls,
                errors: r.errors,
                ...(r.firstError ? { firstError: r.firstError } : {}),
                elapsedMs: round1(r.elapsedMs, 0),
                throughputPerSecond: round1(r.throughput),
                latencyMs: Object.fromEntries(Object.entries(r.latencyMs).map(([k, v]) => [k, round1(v, 3)])),
                serverCpuUsPerCall: round1(r.serverCpuUsPerCall, 0),
                postgresCpuUsPerCall: round1(r.postgresCpuUsPerCall, 0),
                clientCpuUsPerCall: round1(r.clientCpuUsPerCall, 0),
                machineBusy: round1(r.machineBusy, 3),
                otherCpu: round1(r.otherCpu, 3),
                valid: r.valid,
              })),
            },
          ];
        }),
      ),
    };
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`wrote ${path.relative(root, outFile)}\n`);
    if (anyErrors) process.exitCode = 1;
  } finally {
    await Promise.all([stopServer(bare), stopServer(gateway)]);
  }

  if (flags.profile) {
    // One profile per thread; the main thread's is the largest (the other is tsx's loader thread).
    const [file] = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(profileDir, f))
      .filter((f) => statSync(f).mtimeMs >= profileStart)
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (file) {
      process.stdout.write(
        `\nCPU profile of the gateway child (main thread): ${path.relative(root, file)}\n`,
      );
      process.stdout.write(
        'note: V8 samples wall time of the thread, so syscalls that wake another process (pg and HTTP\n' +
          'writes) look larger than their CPU cost on a busy 2-core machine; use the CPU µs/call columns\n' +
          'for budgets and this for the shape.\n',
      );
      process.stdout.write(summariseCpuProfile(file));
    }
  }
}

await main();
