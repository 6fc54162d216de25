// `npm run bench:signal` — does `personas compare` catch a seeded bug, and only that? (issue 10)
//   1. baseline vs a candidate with todo_complete failing 100 % (GATEWAY_FAULTS): what is flagged;
//   2. A/A: ≥ 20 comparisons of the unchanged product with varied seeds → the false-alarm rate;
//   3. the smallest rating drop and error-rate rise detectable at K = 3 with the 11 catalog personas.
// Scripted provider, the real stack (Postgres, Temporal dev server, gateways, workers) in this process.
// Flags: --aa N (A/A comparisons, default 20), --trials K (default 3), --quick (4 A/A, no sweep).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatComparison } from '../lib/verdicts/format.ts';
import { BROKEN_TOOL, startSignalStack } from '../test/support/signal-stack.ts';
import { startStack } from '../test/support/stack.ts';
import { detectableEffects } from './signal-power.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const trials = arg('--trials', 3);
const aaRuns = arg('--aa', quick ? 4 : 20);
const say = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const bench = await startStack({ name: 'bench-signal', poolSize: 40, handleSignals: true });
  try {
    const stack = await startSignalStack({
      database: bench.database,
      client: bench.client,
      temporalAddress: bench.temporal.address,
      namespace: bench.temporal.namespace,
      logger: bench.logger,
    });
    bench.onStop(() => stack.stop());
    const t0 = Date.now();
    say(`baseline and broken candidate (${BROKEN_TOOL} 100 %), K = ${trials}…`);
    const baseline = await stack.campaign('baseline', { trials });
    const broken = await stack.campaign('broken', { faulty: true, trials });
    const fault = await stack.compare(baseline, broken);
    say(formatComparison(fault));
    const perCampaignS = (Date.now() - t0) / 2000;

    // A/A: every comparison pairs two fresh campaigns of the unchanged product with other seeds
    // (unpaired: the harder case), plus the paired A/A of each against the baseline's seeds.
    const aa: Array<{ seeds: string; paired: boolean; regressed: string[] }> = [];
    for (let i = 0; i < aaRuns; i++) {
      const a = await stack.campaign(`aa-${i}-a`, { trials, seedBase: `aa-${i}-a` });
      const b = await stack.campaign(`aa-${i}-b`, { trials, seedBase: `aa-${i}-b` });
      const c = await stack.compare(a, b);
      aa.push({ seeds: `aa-${i}-a vs aa-${i}-b`, paired: c.paired, regressed: c.regressed });
      say(
        `A/A ${i + 1}/${aaRuns}: ${c.regressed.length ? `FLAGGED ${c.regressed.join(', ')}` : 'not flagged'}`,
      );
    }
    const falseAlarms = aa.filter((r) => r.regressed.length).length;

    const power = quick ? undefined : await detectableEffects(stack, baseline, trials);
    const result = {
      date: new Date().toISOString(),
      trials,
      personas: 11,
      secondsPerCampaign: Math.round(perCampaignS),
      fault: {
        tool: BROKEN_TOOL,
        regressed: fault.regressed,
        todos: fault.modules.find((m) => m.module === 'todos'),
        tool_row: fault.tools.find((t) => t.tool === BROKEN_TOOL),
      },
      aa: { comparisons: aa.length, falseAlarms, falseAlarmRate: falseAlarms / aa.length, runs: aa },
      power,
    };
    say(`\nfault caught: ${fault.regressed.join(', ') || 'NOTHING'}`);
    say(`A/A false alarms: ${falseAlarms}/${aa.length} (${((100 * falseAlarms) / aa.length).toFixed(1)} %)`);
    if (power) say(`detectable at K = ${trials}: ${JSON.stringify(power.summary)}`);
    const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'signal.json');
    if (!quick) await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
