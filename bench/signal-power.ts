// The smallest effects `compare` detects at K trials: real campaigns of the unchanged product (pairs
// with other seeds, and a baseline against itself — same seeds, paired) get a synthetic effect of a
// chosen size injected into the candidate side, and the share of comparisons that flag it is the
// power. The smallest size flagged in ≥ 80 % of the comparisons is "detectable".
import type { CampaignData } from '../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS } from '../lib/verdicts/compare.ts';
import { seededRng } from '../lib/verdicts/rng.ts';
import type { SignalStack } from '../test/support/signal-stack.ts';

const POWER = 0.8;

/** Each rating of `module` lowered by one star with probability `drop` (mean drop ≈ drop). */
function lowerRatings(d: CampaignData, module: string, drop: number, seed: string): CampaignData {
  const rng = seededRng(seed);
  return {
    ...d,
    trials: d.trials.map((t) => {
      const r = t.ratings[module];
      if (r === undefined || r <= 1 || rng() >= drop) return t;
      return { ...t, ratings: { ...t.ratings, [module]: r - 1 } };
    }),
  };
}

/** Each successful call of `tool` turned into a product error with probability `rise`. */
function breakCalls(d: CampaignData, tool: string, rise: number, seed: string): CampaignData {
  const rng = seededRng(seed);
  return {
    ...d,
    trials: d.trials.map((t) => ({
      ...t,
      actions: t.actions.map((a) =>
        a.tool === tool && !a.errorClass && rng() < rise ? { ...a, errorClass: 'product' as const } : a,
      ),
    })),
  };
}

function smallest(sizes: number[], flagged: (size: number) => number): number | null {
  for (const s of sizes) if (flagged(s) >= POWER) return s;
  return null;
}

export async function detectableEffects(stack: SignalStack, baselineId: string, trials: number) {
  // Pairs of unchanged campaigns: aa-i-a vs aa-i-b (other seeds), and the baseline against itself.
  const pairs: Array<{ a: CampaignData; b: CampaignData; paired: boolean }> = [];
  for (let i = 0; i < 20; i++) {
    try {
      pairs.push({ a: await stack.load(`aa-${i}-a`), b: await stack.load(`aa-${i}-b`), paired: false });
    } catch {
      break;
    }
  }
  const base = await stack.load(baselineId);
  const modules = Object.keys(base.trials.reduce((m, t) => ({ ...m, ...t.ratings }), {})).sort();
  const calls = new Map<string, number>();
  for (const t of base.trials) for (const a of t.actions) calls.set(a.tool, (calls.get(a.tool) ?? 0) + 1);
  const tools = [...calls.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 4)
    .map(([t]) => t);
  const ratingSizes = [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0];
  const rateSizes = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];
  const opts = { ...DEFAULT_COMPARE_OPTIONS, resamples: 1000 };
  const share = (runs: Array<() => string[]>, what: string) =>
    runs.filter((run) => run().includes(what)).length / runs.length;

  const unpairedRating = Object.fromEntries(
    modules.map((m) => [
      m,
      smallest(ratingSizes, (s) =>
        share(
          pairs.map(
            (p, i) => () => compareCampaigns(p.a, lowerRatings(p.b, m, s, `${m}${s}${i}`), opts).regressed,
          ),
          `module ${m}`,
        ),
      ),
    ]),
  );
  // Paired: the baseline against itself with the effect injected, 20 random injections.
  const pairedRating = Object.fromEntries(
    modules.map((m) => [
      m,
      smallest(ratingSizes, (s) =>
        share(
          Array.from(
            { length: 20 },
            (_, i) => () => compareCampaigns(base, lowerRatings(base, m, s, `p${m}${s}${i}`), opts).regressed,
          ),
          `module ${m}`,
        ),
      ),
    ]),
  );
  const errorRate = Object.fromEntries(
    tools.map((t) => [
      t,
      {
        callsPerCampaign: calls.get(t),
        smallestRise: smallest(rateSizes, (s) =>
          share(
            pairs.map(
              (p, i) => () => compareCampaigns(p.a, breakCalls(p.b, t, s, `${t}${s}${i}`), opts).regressed,
            ),
            `tool ${t}`,
          ),
        ),
      },
    ]),
  );
  return {
    trials,
    comparisons: pairs.length,
    power: POWER,
    summary: { pairedRatingDrop: pairedRating, unpairedRatingDrop: unpairedRating, errorRateRise: errorRate },
  };
}
