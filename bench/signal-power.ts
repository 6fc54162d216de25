// What bench:signal measures on real scripted campaigns: how often `compare` flags an unchanged
// product (family-wise, over every row), how often it catches a change of a known size, and the
// smallest effect each row could have seen. Changes are either real (a campaign against the gateway
// with a tool failing) or injected into a real campaign's data (ratings lowered), so the noise around
// them is the scripted persona's own.
import type { CampaignData, TrialData } from '../lib/verdicts/campaign-data.ts';
import { compareCampaigns, type Comparison } from '../lib/verdicts/compare.ts';
import { median } from '../test/support/stats.ts';

/** A module's ratings lowered by `stars` (not below 1), for all personas or the ones `who` picks. */
export function lowerRatings(
  d: CampaignData,
  module: string,
  stars: number,
  who: (personaId: string) => boolean = () => true,
): CampaignData {
  const lower = (t: TrialData): TrialData =>
    t.ratings[module] === undefined || !who(t.personaId)
      ? t
      : { ...t, ratings: { ...t.ratings, [module]: Math.max(1, t.ratings[module]! - stars) } };
  return { ...d, trials: d.trials.map(lower) };
}

/** The first `n` personas (by id) who rated `module` in every trial of `d` and never below 1 + stars. */
export function personasWhoCanDrop(d: CampaignData, module: string, n: number, stars: number): Set<string> {
  const byPersona = new Map<string, number[]>();
  for (const t of d.trials)
    byPersona.set(t.personaId, [...(byPersona.get(t.personaId) ?? []), t.ratings[module] ?? 0]);
  const able = [...byPersona.entries()]
    .filter(([, rs]) => rs.every((r) => r >= 1 + stars))
    .map(([p]) => p)
    .sort();
  return new Set(able.slice(0, n));
}

export interface PowerResult {
  comparisons: number;
  /** Share of comparisons that flagged the row under test. */
  caught: number;
  /** Share in which the gate failed at all (any row regressed or missing). */
  gateFailed: number;
  /** Share that flagged any other row (a false alarm beside the true change). */
  otherFlagged: number;
  /** Share in which someone was listed as hurt. */
  hurtListed: number;
}

/** How often `row` (e.g. "module todos") is flagged over these comparisons. */
export function power(comparisons: readonly Comparison[], row: string): PowerResult {
  const n = comparisons.length;
  const share = (f: (c: Comparison) => boolean) => comparisons.filter(f).length / n;
  return {
    comparisons: n,
    caught: share((c) => c.regressed.includes(row)),
    gateFailed: share((c) => c.regressed.length > 0),
    otherFlagged: share((c) => c.regressed.some((r) => r !== row)),
    hurtListed: share((c) => c.hurt.length > 0),
  };
}

/** A/A: how often anything at all was flagged, and how often someone was listed as hurt. */
export function falseAlarms(comparisons: readonly Comparison[]) {
  const n = comparisons.length;
  const flagged = comparisons.filter((c) => c.regressed.length > 0);
  return {
    comparisons: n,
    flagged: flagged.length,
    familyWiseRate: flagged.length / n,
    rows: [...new Set(flagged.flatMap((c) => c.regressed))].sort(),
    hurtListedRate: comparisons.filter((c) => c.hurt.length > 0).length / n,
    rowsInFamily: median(comparisons.map((c) => c.family.rows)),
  };
}

/** Per row, the median smallest detectable effect over comparisons (null where none could detect). */
export function detectableEffects(comparisons: readonly Comparison[]) {
  const byRow = new Map<string, Array<number | null>>();
  for (const c of comparisons)
    for (const r of [...c.health, ...c.modules, ...c.tools])
      byRow.set(`${r.kind} ${r.name}`, [...(byRow.get(`${r.kind} ${r.name}`) ?? []), r.detectable.effect]);
  return Object.fromEntries(
    [...byRow.entries()].map(([row, effects]) => {
      const seen = effects.filter((e): e is number => e !== null);
      return [row, seen.length > effects.length / 2 ? Number(median(seen).toFixed(3)) : null];
    }),
  );
}

/** Every pair of distinct campaigns (for A/A over more pairs than disjoint ones give). */
export function allPairs(data: readonly CampaignData[]): Comparison[] {
  const out: Comparison[] = [];
  for (let i = 0; i < data.length; i++)
    for (let j = i + 1; j < data.length; j++) out.push(compareCampaigns(data[i]!, data[j]!));
  return out;
}
