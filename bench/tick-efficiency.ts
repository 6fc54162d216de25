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
//            --against FILE (a saved results file: its figures printed beside today's)
//            --worker-options JSON (experiments: extra Temporal WorkerOptions over createTickWorker's)
//
// It measures the checked-out commit (recorded in the results file, with whether the tree had
// uncommitted changes); one commit against another is two runs, the second `--against` the first.
//
// What runs (one process, as `personas up` runs it; all on the same cores): the harness's stack
// (test/support/stack.ts: a fresh Postgres database, an in-memory Temporal dev server), the real MCP
// gateway and real workers (tick-efficiency/rig.ts). Scenarios: (a) efficiency
// (tick-efficiency/efficiency.ts), (b) throughput (tick-efficiency/throughput.ts).
import { gitInfo, machineInfo, loadAverage, writeResults } from './bench-report.ts';
import { startStack } from '../test/support/stack.ts';
import { efficiency } from './tick-efficiency/efficiency.ts';
import { printEfficiency, printThroughput, type Comparison } from './tick-efficiency/print.ts';
import { startRig } from './tick-efficiency/rig.ts';
import { differingSettings, readSavedRun, runLabel } from './tick-efficiency/saved-run.ts';
import { throughput } from './tick-efficiency/throughput.ts';
import { installRuntimeWithMetrics } from './tick-efficiency/sdk-metrics.ts';
import { parseSettings } from './tick-efficiency/settings.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const settings = parseSettings();
  const info = machineInfo();
  const git = gitInfo();
  const date = new Date().toISOString();
  // Read before the run: a file that cannot serve fails now, not after minutes of measuring.
  const cmp: Comparison = {
    today: runLabel(git, date),
    saved: settings.against === undefined ? undefined : readSavedRun(settings.against),
  };
  say(
    `tick-efficiency: ${cmp.today}, ${info.cpuModel} × ${info.cores}, node ${info.node}, load ${info.loadAverage.join(' ')}${settings.quick ? ' (quick)' : ''}`,
  );
  const scrapeSdk = await installRuntimeWithMetrics();
  const stack = await startStack({ name: 'bench-tick-efficiency', handleSignals: true });
  let eff: Awaited<ReturnType<typeof efficiency>> | undefined;
  let thr: Awaited<ReturnType<typeof throughput>> | undefined;
  try {
    const rig = await startRig(stack, settings.workerOptions, settings.recorded.goals);
    if (settings.only !== 'throughput') eff = await efficiency(stack, rig, settings, scrapeSdk, say);
    if (settings.only !== 'efficiency') thr = await throughput(stack, rig, settings, say);
  } finally {
    await stack.stop();
  }
  if (cmp.saved) {
    say(`\nagainst ${cmp.saved.file} (${cmp.saved.label}, run ${cmp.saved.date ?? '?'}): two runs, so the`);
    say("machine may have differed between them as well as the code (see each run's load in its file)");
    for (const d of differingSettings(cmp.saved, settings.recorded)) say(`  settings differ: ${d}`);
    if (eff && !cmp.saved.efficiency) say('  the saved run has no efficiency figures (a)');
    if (thr && !cmp.saved.throughput?.length) say('  the saved run has no throughput figures (b)');
  }
  if (eff) say(printEfficiency(eff.efficiency, settings.recorded, cmp));
  if (thr) say(printThroughput(thr.runs, cmp));
  const file = writeResults(
    'tick-efficiency',
    settings.quick,
    {
      benchmark: 'tick-efficiency',
      date,
      git,
      machine: { ...info, loadAverageAtEnd: loadAverage() },
      postgres: stack.postgresSource,
      temporal: stack.temporalSource,
      settings: settings.recorded,
      workerOptions:
        settings.workerOptions ??
        'createTickWorker defaults (+ an activity interceptor timing local activities)',
      goal: { efficiency: 1.1 },
      ...(cmp.saved && { against: { file: cmp.saved.file, date: cmp.saved.date, git: cmp.saved.git } }),
      ...eff,
      throughput: thr,
    },
    settings.out,
  );
  say(`\nresults: ${file}`);
}

await main();
// The SDK's native runtime keeps the event loop alive after its connections close.
process.exit(0);
