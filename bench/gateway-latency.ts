// Tool-call latency and throughput of the MCP gateway against a bare SDK server.
//
//   node --import tsx bench/gateway-latency.ts            full run (3 rounds × 6 scenarios, ~5 min)
//   node --import tsx bench/gateway-latency.ts --quick    smoke run (1 round, short phases)
//   options: --rounds N --warmup S --duration S --concurrency N --profile --diagnose --verbose --out FILE
//            --max-wait S (bound on waiting for a quiet machine) --only id,id (scenario ids; bare_echo
//            is always kept, it is the reference) --gateway-node-flags="…" (extra node flags for the
//            gateway child, e.g. "--max-semi-space-size=64", to try runtime tuning)
//
// Spawns gateway-latency/bare-server.ts, gateway-latency/gateway-server.ts and (on the gateway's scratch
// database) gateway-latency/bare-sql-server.ts as child processes
// (gateway-latency/children.ts), then drives both with the same closed-loop client code
// (gateway-latency/load-client.ts, `concurrency` sessions) over the scenarios of
// gateway-latency/scenarios.ts, round after round (gateway-latency/measure.ts); each figure reported is
// the median over rounds (gateway-latency/summary.ts). Writes bench/results/gateway-latency.json (a
// --quick run writes gateway-latency.quick.tmp.json, git-ignored, so a smoke run never overwrites real
// results).
//
// --profile starts the gateway child with --cpu-prof (profiles in .data/bench/profiles) and prints a
// summary of where the gateway's CPU went (gateway-latency/cpu-profile-summary.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_DIR } from './bench-report.ts';
import {
  spawnServer,
  stopServer,
  type BareReady,
  type Child,
  type GatewayReady,
} from './gateway-latency/children.ts';
import { runRounds } from './gateway-latency/measure.ts';
import { printProfile, printSummary } from './gateway-latency/print.ts';
import { scenarios, type Scenario } from './gateway-latency/scenarios.ts';
import { parseSettings, type Settings } from './gateway-latency/settings.ts';
import { evaluate, report, round1 } from './gateway-latency/summary.ts';

function machineFacts() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryGb: round1(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => round1(l, 2)),
  };
}

/**
 * The three servers, ready: bare echo, the gateway (with `concurrency` readers and writers seeded), and
 * the same-SQL server on the gateway's scratch database.
 */
async function startServers(settings: Settings) {
  const { flags } = settings;
  const [bare, gateway] = await Promise.all([
    spawnServer<BareReady>('bare', 'bench/gateway-latency/bare-server.ts', [], { verbose: flags.verbose }),
    spawnServer<GatewayReady>(
      'gateway',
      'bench/gateway-latency/gateway-server.ts',
      [
        '--users',
        String(settings.load.concurrency),
        '--shared-limits-twin',
        ...(flags.diagnose ? ['--diagnose'] : []),
      ],
      {
        verbose: flags.verbose,
        nodeFlags: [
          ...(flags['gateway-node-flags']?.split(/\s+/).filter(Boolean) ?? []),
          ...(flags.profile ? ['--cpu-prof', '--cpu-prof-dir', settings.profileDir] : []),
        ],
      },
    ),
  ]);
  const bareSql = await spawnServer<BareReady>(
    'bare-sql',
    'bench/gateway-latency/bare-sql-server.ts',
    ['--database-url', gateway.ready.databaseUrl],
    { verbose: flags.verbose },
  );
  return { bare, gateway, bareSql };
}

/** The --only scenarios, plus the references their ratios need: bare echo always, and a goal scenario's twin. */
function selected(every: Scenario[], only: string[] | undefined): Scenario[] {
  if (!only) return every;
  const wanted = every.filter((s) => s.id === 'bare_echo' || only.includes(s.id));
  const twins = new Set(wanted.flatMap((s) => (s.goal ? [s.goal.twin] : [])));
  return every.filter((s) => wanted.includes(s) || twins.has(s.id));
}

async function main(): Promise<void> {
  const settings = parseSettings();
  const machine = machineFacts();
  process.stderr.write(
    `gateway-latency: ${machine.cpuModel} × ${machine.cores}, node ${machine.nodeVersion}; ` +
      `concurrency ${settings.load.concurrency}, ${settings.load.rounds} round(s) of ` +
      `${settings.load.warmupMs / 1000}s warm-up + ${settings.load.durationMs / 1000}s measured per scenario\n`,
  );
  let servers:
    { bare: Child<BareReady>; gateway: Child<GatewayReady>; bareSql: Child<BareReady> } | undefined;
  const profileStart = Date.now();
  try {
    process.stderr.write('starting bare server, gateway (scratch database) and same-SQL server…\n');
    if (settings.flags.profile) mkdirSync(settings.profileDir, { recursive: true });
    servers = await startServers(settings);
    const { bare, gateway, bareSql } = servers;
    const all = selected(
      scenarios(bare.ready, bareSql.ready, gateway.ready, settings.flags.diagnose),
      settings.only,
    );
    const pids = { bare: bare.ready.pid, bareSql: bareSql.ready.pid, gateway: gateway.ready.pid };
    const results = await runRounds(settings, pids, all, () => vacuum(gateway.ready.databaseUrl));
    const evaluation = evaluate(all, results);
    process.stdout.write(printSummary(settings, machine, all, evaluation));
    mkdirSync(path.dirname(settings.outFile), { recursive: true });
    const data = report(settings, machine, all, results, evaluation);
    writeFileSync(settings.outFile, `${JSON.stringify(data, null, 2)}\n`);
    process.stderr.write(`wrote ${path.relative(PROJECT_DIR, settings.outFile)}\n`);
    if (evaluation.anyErrors) process.exitCode = 1;
  } finally {
    // The same-SQL server uses the gateway's scratch database: stopped first, so the drop finds no client.
    await stopServer(servers?.bareSql);
    await Promise.all([stopServer(servers?.bare), stopServer(servers?.gateway)]);
  }
  if (settings.flags.profile) process.stdout.write(printProfile(settings.profileDir, profileStart));
}

/** VACUUM (ANALYZE) of the scratch database: pays the autovacuum debt of a writing scenario at once. */
async function vacuum(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

await main();
