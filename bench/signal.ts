// `npm run bench:signal` — does `personas compare` catch a broken release, and only that?
//   1. baseline vs a candidate with todo_complete failing 100 % (GATEWAY_FAULTS): what is flagged;
//   2. A/A: campaigns of the unchanged product on other seed bases → family-wise false alarms;
//   3. power: (a) that tool failing, real campaigns on N seed bases; (b) a 1★ drop of each module and
//      (c) 3 of 11 personas −3★ on todos, injected into real campaigns — paired and unpaired;
//   4. the smallest effect each row could detect at K = 3 and at K = 5.
// Scripted provider, the real stack (Postgres, Temporal dev server, gateways, workers) in this process.
// Flags: --aa N (A/A pairs, default 16), --broken N (faulty campaigns, default 12), --k5 N (A/A pairs at
// K = 5, default 3), --quick (a smoke run; writes nothing).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CampaignData } from '../lib/verdicts/campaign-data.ts';
import { compareCampaigns } from '../lib/verdicts/compare.ts';
import { formatComparison } from '../lib/verdicts/format-comparison.ts';
import { BROKEN_TOOL, startSignalStack } from '../test/support/signal-stack.ts';
import { startStack } from '../test/support/stack.ts';
import {
  allPairs,
  detectableEffects,
  falseAlarms,
  lowerRatings,
  personasWhoCanDrop,
  power,
} from './signal-power.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const aaPairs = arg('--aa', quick ? 2 : 16);
const brokenRuns = arg('--broken', quick ? 1 : 12);
const k5Pairs = arg('--k5', quick ? 1 : 3);
const say = (m: string) => process.stderr.write(`${m}\n`);
const MODULES = ['habits', 'journal', 'notes', 'todos'];

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
    const run = async (label: string, o: { faulty?: boolean; seedBase?: string; trials?: number }) =>
      stack.load(await stack.campaign(label, { trials: 3, ...o }));
    const t0 = Date.now();

    say(`1. baseline and broken candidate (${BROKEN_TOOL} 100 %), K = 3…`);
    const baseline = await run('baseline', {});
    const broken = await run('broken', { faulty: true });
    const fault = compareCampaigns(baseline, broken);
    say(formatComparison(fault));
    const secondsPerCampaign = Math.round((Date.now() - t0) / 2000);

    say(`2. A/A: ${aaPairs} pairs on other seed bases…`);
    const a: CampaignData[] = [];
    const b: CampaignData[] = [];
    for (let i = 0; i < aaPairs; i++) {
      a.push(await run(`aa-${i}-a`, { seedBase: `aa-${i}-a` }));
      b.push(await run(`aa-${i}-b`, { seedBase: `aa-${i}-b` }));
      say(
        `  pair ${i + 1}/${aaPairs}: ${compareCampaigns(a[i]!, b[i]!).regressed.join(', ') || 'not flagged'}`,
      );
    }
    const rerun = await run('aa-0-a-rerun', { seedBase: 'aa-0-a' });
    const unpairedAA = a.map((x, i) => compareCampaigns(x, b[i]!));

    say(`3. power: ${brokenRuns} campaigns with ${BROKEN_TOOL} failing, and injected rating drops…`);
    const faulty: CampaignData[] = [];
    for (let i = 0; i < Math.min(brokenRuns, aaPairs); i++)
      faulty.push(await run(`broken-${i}`, { faulty: true, seedBase: `aa-${i}-a` }));
    const both = (change: (d: CampaignData, i: number) => CampaignData, row: string) => ({
      paired: power(
        a.map((x, i) => compareCampaigns(x, change(x, i))),
        row,
      ),
      unpaired: power(
        a.map((x, i) => compareCampaigns(b[i]!, change(x, i))),
        row,
      ),
    });
    const threeHurt = (d: CampaignData) =>
      lowerRatings(d, 'todos', 3, (p) => personasWhoCanDrop(d, 'todos', 3, 3).has(p));

    say(`4. detectable effects at K = 5: ${k5Pairs} A/A pairs…`);
    const k5: Array<[CampaignData, CampaignData]> = [];
    for (let i = 0; i < k5Pairs; i++)
      k5.push([
        await run(`k5-${i}-a`, { seedBase: `k5-${i}-a`, trials: 5 }),
        await run(`k5-${i}-b`, { seedBase: `k5-${i}-b`, trials: 5 }),
      ]);
    const k5Comparisons = k5.map(([x, y]) => compareCampaigns(x, y));

    const result = {
      date: new Date().toISOString(),
      personas: 11,
      secondsPerCampaign,
      fault: {
        tool: BROKEN_TOOL,
        regressed: fault.regressed,
        rows: [...fault.health, ...fault.modules, ...fault.tools].filter((r) => r.verdict !== 'unchanged'),
      },
      aa: {
        disjointPairs: falseAlarms(unpairedAA),
        allPairs: falseAlarms(allPairs([...a, ...b])),
        pairedRerun: compareCampaigns(a[0]!, rerun).regressed,
      },
      power: {
        toolFailing: {
          paired: power(
            faulty.map((f, i) => compareCampaigns(a[i]!, f)),
            `tool ${BROKEN_TOOL}`,
          ),
          unpaired: power(
            faulty.map((f, i) => compareCampaigns(b[i]!, f)),
            `tool ${BROKEN_TOOL}`,
          ),
          todosModule: power(
            faulty.map((f, i) => compareCampaigns(a[i]!, f)),
            'module todos',
          ),
          // The personas who called the tool at all (on both sides): what its row can be judged on.
          personasCallingIt: faulty.map(
            (f, i) => compareCampaigns(a[i]!, f).tools.find((t) => t.name === BROKEN_TOOL)?.personas ?? 0,
          ),
        },
        moduleDrop1Star: Object.fromEntries(
          MODULES.map((m) => [m, both((d) => lowerRatings(d, m, 1), `module ${m}`)]),
        ),
        threeOf11Minus3Stars: both(threeHurt, 'module todos'),
      },
      detectable: { k3: detectableEffects(unpairedAA), k5: detectableEffects(k5Comparisons) },
      aaK5: falseAlarms(k5Comparisons),
    };
    say(`\nfault caught: ${fault.regressed.join(', ') || 'NOTHING'}`);
    say(`A/A: ${JSON.stringify(result.aa)}`);
    say(`power: ${JSON.stringify(result.power)}`);
    say(`detectable: ${JSON.stringify(result.detectable)}`);
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
