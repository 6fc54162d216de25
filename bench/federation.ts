// Federated call vs the same upstream called directly: `npm run bench:federation` (`--quick` for a
// smoke run, `--rounds N`, `--concurrency N`, `--duration S`, `--profile`, `--out FILE`, `--only a,b`,
// `--verbose`).
//
// Upstream: server-everything (a real third-party MCP server from npm) in its Streamable HTTP mode, as
// a child process. Gateway: bench/gateway-latency/gateway-server.ts (the real gateway, its own process and scratch
// database) federating that upstream (`isolation: shared`). The same load client (gateway-latency/load-client.ts,
// 16 SDK clients, closed loop) drives both, alternating scenario by scenario in every round, so both
// see the same machine state:
//   direct     client → server-everything `echo`
//   federated  client → gateway (JWT auth, session, policy gate, ajv input check, metrics) → `everything__echo`
//   federated+key  the same with an idempotency key per call (a Postgres claim and a sealed stored result)
// Every run also reports CPU µs per call of each process (gateway, its embedded Postgres, upstream, load
// client) from /proc: on a shared machine these move far less than calls/s. `--profile` runs the gateway
// with --cpu-prof and prints where its CPU went (gateway-latency/cpu-profile-summary.ts).
// Results: bench/results/federation.json (`--out FILE` for any other file; --quick writes nothing
// unless --out is given); the README quotes the medians.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/net/free-port.ts';
import { sampleTree, treeDelta, type TreeSample } from '../test/support/process-cpu.ts';
import { median } from '../test/support/stats.ts';
import { PROJECT_DIR } from './bench-report.ts';
import {
  spawnChild,
  spawnServer,
  stopServer,
  type Child,
  type GatewayReady,
} from './gateway-latency/children.ts';
import { printProfile } from './gateway-latency/print.ts';
import { runLoad, type LoadResult, type LoadTarget } from './gateway-latency/load-client.ts';
import { benchFlags, intFlag, numberFlag } from './settings.ts';

const flags = benchFlags(process.argv.slice(2), {
  rounds: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  profile: { type: 'boolean', default: false },
  only: { type: 'string' },
  verbose: { type: 'boolean', default: false },
});
const rounds = intFlag(flags.rounds, flags.quick ? 1 : 5, 'rounds', 1, 100);
const concurrency = intFlag(flags.concurrency, 16, 'concurrency', 1, 256);
const phase = flags.quick ? { warmupMs: 500, durationMs: 1500 } : { warmupMs: 2000, durationMs: 8000 };
if (flags.duration) phase.durationMs = numberFlag(flags.duration, 0, 'duration') * 1000;
const profileDir = path.join(PROJECT_DIR, '.data', 'bench', 'profiles');

/** CPU µs per call of every process in the benchmark, over one measured phase. */
interface CpuPerCall {
  gateway: number;
  postgres: number;
  upstream: number;
  client: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-federation-'));
  const children: Child<unknown>[] = [];
  const profileStart = Date.now();
  try {
    const port = await freePort();
    const upstream = await spawnChild(
      'everything',
      ['node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'streamableHttp'],
      {
        env: { PORT: String(port) },
        verbose: flags.verbose,
        readyFrom: (l) => (l.includes('listening') ? true : undefined),
      },
    );
    children.push(upstream);
    const directUrl = `http://127.0.0.1:${port}/mcp`;
    const products = path.join(dir, 'products.json');
    await writeFile(
      products,
      JSON.stringify({
        builtin: true,
        products: [{ name: 'everything', transport: { type: 'http', url: directUrl }, include: ['echo'] }],
      }),
    );
    if (flags.profile) mkdirSync(profileDir, { recursive: true });
    const gw = await spawnServer<GatewayReady>(
      'gateway',
      'bench/gateway-latency/gateway-server.ts',
      ['--users', String(concurrency)],
      {
        nodeFlags: flags.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
        env: { PERSONA_PRODUCTS: products, LOG_LEVEL: 'warn' },
        verbose: flags.verbose,
      },
    );
    children.push(gw);
    const ready = gw.ready;

    const args = (c: number, seq: number) => ({ message: `client ${c} call ${seq}: hello upstream` });
    const scenarios: { id: string; target: LoadTarget }[] = [
      { id: 'direct', target: { mcpUrl: directUrl, tokens: [], tool: 'echo', args } },
      {
        id: 'federated',
        target: { mcpUrl: ready.mcpUrl, tokens: ready.readers, tool: 'everything__echo', args },
      },
      {
        id: 'federated+key',
        target: {
          mcpUrl: ready.mcpUrl,
          tokens: ready.readers,
          tool: 'everything__echo',
          args,
          meta: (c, seq) => ({ idempotencyKey: `bench-${process.pid}-${Date.now()}-${c}-${seq}` }),
        },
      },
    ];
    type Run = LoadResult & { cpuUsPerCall: CpuPerCall };
    // `--only`: a subset of the scenarios (e.g. to profile one); `direct` stays, the ratios need it.
    const wanted = flags.only?.split(',').map((x) => x.trim());
    if (wanted)
      scenarios.splice(
        0,
        scenarios.length,
        ...scenarios.filter((s) => s.id === 'direct' || wanted.includes(s.id)),
      );
    const results: Record<string, Run[]> = Object.fromEntries(scenarios.map((s) => [s.id, []]));
    for (let r = 0; r < rounds; r++) {
      for (const s of scenarios) {
        let s0: [TreeSample | undefined, TreeSample | undefined] = [undefined, undefined];
        let s1: typeof s0 = [undefined, undefined];
        const sample = (): typeof s0 => [sampleTree(gw.proc.pid!), sampleTree(upstream.proc.pid!)];
        const res = await runLoad(s.target, {
          concurrency,
          ...phase,
          maxCalls: 500_000,
          onMeasureStart: () => void (s0 = sample()),
          onMeasureEnd: () => void (s1 = sample()),
        });
        if (res.errors) throw new Error(`${s.id}: ${res.errors} errors, first: ${res.firstError}`);
        const g = treeDelta(s0[0], s1[0]);
        const u = treeDelta(s0[1], s1[1]);
        const us = (seconds: number) => Math.round((seconds * 1e6) / res.calls);
        const cpu: CpuPerCall = {
          gateway: us(g.rootSeconds),
          postgres: us(g.descendantsSeconds),
          upstream: us(u.rootSeconds + u.descendantsSeconds),
          client: Math.round(res.clientCpuUsPerCall),
        };
        results[s.id]!.push({ ...res, cpuUsPerCall: cpu });
        process.stderr.write(
          `round ${r + 1}/${rounds} ${s.id.padEnd(14)} ${res.throughput.toFixed(0).padStart(6)} calls/s  p50 ${res.latencyMs.p50.toFixed(1)} ms  p99 ${res.latencyMs.p99.toFixed(1)} ms` +
            `  CPU µs/call: gateway ${cpu.gateway} postgres ${cpu.postgres} upstream ${cpu.upstream} client ${cpu.client}\n`,
        );
      }
    }
    const summary = Object.fromEntries(
      scenarios.map((s) => {
        const rs = results[s.id]!;
        return [
          s.id,
          {
            throughput: median(rs.map((x) => x.throughput)),
            p50: median(rs.map((x) => x.latencyMs.p50)),
            p99: median(rs.map((x) => x.latencyMs.p99)),
            cpu: Object.fromEntries(
              (['gateway', 'postgres', 'upstream', 'client'] as const).map((k) => [
                k,
                median(rs.map((x) => x.cpuUsPerCall[k])),
              ]),
            ) as unknown as CpuPerCall,
          },
        ];
      }),
    );
    const direct = summary.direct!;
    const table = Object.entries(summary).map(([id, v]) => ({
      scenario: id,
      callsPerSecond: Math.round(v.throughput),
      p50Ms: +v.p50.toFixed(1),
      p99Ms: +v.p99.toFixed(1),
      throughputVsDirect: +(v.throughput / direct.throughput).toFixed(2),
      p99VsDirect: +(v.p99 / direct.p99).toFixed(2),
      gatewayCpuUs: v.cpu.gateway,
      postgresCpuUs: v.cpu.postgres,
      upstreamCpuUs: v.cpu.upstream,
      clientCpuUs: v.cpu.client,
    }));
    const fed = table.find((t) => t.scenario === 'federated')!;
    const goal = { throughputVsDirect: 0.85, p99VsDirect: 1.3 };
    const met = fed.throughputVsDirect >= goal.throughputVsDirect && fed.p99VsDirect <= goal.p99VsDirect;
    console.table(table);
    process.stderr.write(
      `goal (federated ≥ ${goal.throughputVsDirect}× throughput, p99 ≤ ${goal.p99VsDirect}×): ${met ? 'met' : 'NOT met'}\n`,
    );
    const out = flags.out ?? (flags.quick ? undefined : 'bench/results/federation.json');
    if (out) {
      await writeFile(
        path.resolve(PROJECT_DIR, out),
        `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, concurrency, rounds, phase, goal, met, table, raw: results }, null, 2)}\n`,
      );
    }
  } finally {
    for (const c of children.reverse()) await stopServer(c);
    await rm(dir, { recursive: true, force: true });
  }
  if (flags.profile) process.stdout.write(printProfile(profileDir, profileStart));
}

await main();
