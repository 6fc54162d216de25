// Tick efficiency and tick throughput of the persona tick workflow, on the real stack.
//
//   node --import tsx bench/tick-efficiency.ts            full run (~8 min on a quiet 2-core machine)
//   node --import tsx bench/tick-efficiency.ts --quick    smoke run (~2 min; writes a git-ignored .tmp.json)
//   options: --ticks N (per efficiency scenario, default 10) --delay MS (model latency, default 200)
//            --rounds N (tool rounds per tick, default 5) --parallel N (tool calls per round, default 2)
//            --personas N,N (throughput lanes, default 20,100) --workers N,N (worker processes, default 1,2)
//            --lane-ticks N (ticks per lane, default 5)
//            --only efficiency|throughput --max-wait S (bound on waiting for load < --load-threshold,
//            default 300 s and 1.5) --max-other-cores C (a tick during which other processes used more
//            than C cores on average is set aside and replaced, at most 4 times over; default 0.25)
//            --out FILE --verbose
//            --worker-options JSON (experiments: extra Temporal WorkerOptions over createTickWorker's)
//
// What runs (one process, as `personas up` runs it; all on the same cores): the harness's stack
// (test/support/stack.ts: a fresh Postgres database, an in-memory Temporal dev server), the real MCP
// gateway and real workers (tick-efficiency/rig.ts). Scenarios: (a) efficiency
// (tick-efficiency/efficiency.ts), (b) throughput (tick-efficiency/throughput.ts).
import { machineInfo, loadAverage, writeResults } from './bench-report.ts';
import { startStack } from '../test/support/stack.ts';
import { efficiency } from './tick-efficiency/efficiency.ts';
import { printEfficiency, printThroughput } from './tick-efficiency/print.ts';
import { startRig } from './tick-efficiency/rig.ts';
import { throughput } from './tick-efficiency/throughput.ts';
import { installRuntimeWithMetrics } from './tick-efficiency/sdk-metrics.ts';
import { parseSettings } from './tick-efficiency/settings.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const settings = parseSettings();
  const info = machineInfo();
  say(
    `tick-efficiency: ${info.cpuModel} × ${info.cores}, node ${info.node}, load ${info.loadAverage.join(' ')}${settings.quick ? ' (quick)' : ''}`,
  );
  const scrapeSdk = await installRuntimeWithMetrics();
  const stack = await startStack({ name: 'bench-tick-efficiency', handleSignals: true });
  const results: Record<string, unknown> = {};
  try {
    const rig = await startRig(stack, settings.workerOptions);
    if (settings.only !== 'throughput')
      Object.assign(results, await efficiency(stack, rig, settings, scrapeSdk, say));
    if (settings.only !== 'efficiency') results.throughput = await throughput(stack, rig, settings, say);
  } finally {
    await stack.stop();
  }
  if (results.efficiency) say(printEfficiency(results.efficiency as never, settings.recorded));
  if (results.throughput) say(printThroughput(results.throughput as never));
  const file = writeResults(
    'tick-efficiency',
    settings.quick,
    {
      benchmark: 'tick-efficiency',
      date: new Date().toISOString(),
      machine: { ...info, loadAverageAtEnd: loadAverage() },
      postgres: stack.postgresSource,
      temporal: stack.temporalSource,
      settings: settings.recorded,
      workerOptions: settings.workerOptions ?? 'createTickWorker defaults (+ an activity interceptor timing local activities)',
      goal: { efficiency: 1.1 },
      ...results,
    },
    settings.out,
  );
  say(`\nresults: ${file}`);
}

await main();
// The SDK's native runtime keeps the event loop alive after its connections close.
process.exit(0);
