// Synthetic campaigns for the verdicts' unit tests and simulations: G personas × K trials with the
// structure real campaigns have — each persona its own level per module (a persona random effect),
// a day per (persona, trial seed) shared by every campaign that ran that seed, trial noise on top;
// tool errors that cluster by persona (some are clumsier) and by tick (a bad tick fails every call).
import type { CampaignData, TrialData } from '../../lib/verdicts/campaign-data.ts';
import { seededRng } from '../../lib/verdicts/rng.ts';

export const SYNTHETIC_MODULES = ['habits', 'journal', 'notes', 'todos'] as const;
/** Tools and how often a trial calls each (calls per trial); `space_list` is rare. */
export const SYNTHETIC_TOOLS: Record<string, { module: string; calls: number; usedBy: number }> = {
  habit_create: { module: 'habits', calls: 1.5, usedBy: 1 },
  habit_list: { module: 'habits', calls: 1, usedBy: 1 },
  journal_add: { module: 'journal', calls: 1, usedBy: 1 },
  note_create: { module: 'notes', calls: 2, usedBy: 1 },
  note_search: { module: 'notes', calls: 1, usedBy: 1 },
  todo_complete: { module: 'todos', calls: 1, usedBy: 1 },
  todo_create: { module: 'todos', calls: 2, usedBy: 1 },
  todo_list: { module: 'todos', calls: 1.5, usedBy: 1 },
  space_list: { module: 'todos', calls: 0.15, usedBy: 1 },
};

export interface SyntheticOptions {
  personas: number;
  trials: number;
  /** Seed base: campaigns with the same base pair up trial by trial. */
  seedBase: string;
  /**
   * Seeds the campaign's own noise: two campaigns of one product with the same seed base and noise
   * replay the same days exactly (as the scripted persona does); other noise is another model's whims.
   */
  noise: string;
  /** Per trial, changes made to it (the release under test). */
  change?: (t: TrialData, persona: number, trial: number) => TrialData;
}

const gauss = (rng: () => number) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const clampStar = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

/** One campaign of the synthetic product. The personas (levels, habits) are the same in every campaign. */
export function syntheticCampaign(id: string, o: SyntheticOptions): CampaignData {
  const noise = seededRng(o.noise);
  const trials: TrialData[] = [];
  for (let p = 0; p < o.personas; p++) {
    const who = seededRng(`persona-${p}`);
    const level = Object.fromEntries(SYNTHETIC_MODULES.map((m) => [m, 4 + 0.6 * gauss(who)]));
    const uses = Object.fromEntries(SYNTHETIC_MODULES.map((m) => [m, who() < 0.85]));
    const clumsy = 0.05 + 0.15 * who();
    const fragile = 0.02 * who();
    for (let k = 1; k <= o.trials; k++) {
      const seed = `${o.seedBase}/p${p}/${k}`;
      const day = seededRng(seed);
      const ratings: Record<string, number> = {};
      const actions: TrialData['actions'] = [];
      const badTick = noise() < 0.04;
      for (const [tool, spec] of Object.entries(SYNTHETIC_TOOLS)) {
        if (!uses[spec.module]) continue;
        const calls = Math.floor(spec.calls + day());
        for (let c = 0; c < calls; c++) {
          const r = noise();
          const errorClass = badTick || r < fragile ? 'product' : r < fragile + clumsy ? 'persona' : null;
          actions.push({ tool, errorClass });
        }
      }
      for (const m of SYNTHETIC_MODULES)
        if (uses[m] && actions.some((a) => SYNTHETIC_TOOLS[a.tool]!.module === m))
          ratings[m] = clampStar(level[m]! + 0.5 * gauss(day) + 0.6 * gauss(noise) - (badTick ? 1 : 0));
      const failed = noise() < 0.02;
      // One checked goal per persona, achieved on most days (its own draws: the other numbers of a
      // campaign stay what they were before goals existed).
      const goalDay = seededRng(`${seed}/goal`);
      const goalNoise = seededRng(`${o.noise}/goal/${p}/${k}`);
      const achieved = goalDay() < 0.85 && goalNoise() < 0.97;
      const t: TrialData = {
        tickId: `${id}-${p}-${k}`,
        personaId: `persona-${p}`,
        trial: k,
        trialSeed: seed,
        status: failed ? 'failed' : 'completed',
        tokens: 1000,
        costUsd: 0,
        ratings: failed ? {} : ratings,
        actions,
        goals: failed
          ? {}
          : { 'todo-goal': { module: 'todos', source: 'checked', outcome: achieved ? 'achieved' : 'failed' } },
      };
      trials.push(o.change ? o.change(t, p, k) : t);
    }
  }
  return {
    campaign: {
      id,
      label: id,
      provider: 'scripted',
      model: 'scripted-v1',
      catalogHash: 'c',
      productFingerprint: {},
      promptVersion: 'p',
      codeVersion: 'v',
      trials: o.trials,
      seedBase: o.seedBase,
      personas: o.personas,
      status: 'completed',
      startedAt: new Date(0),
      endedAt: new Date(0),
      summary: null,
    },
    trials,
    personas: Object.fromEntries(
      Array.from({ length: o.personas }, (_, p) => [
        `persona-${p}`,
        { name: `Persona ${p}`, archetype: 'solo-dev' },
      ]),
    ),
  };
}

/** A module's ratings lowered by `stars` (not below 1) in every trial that rated it. */
export const lowerModule =
  (module: string, stars: number, personas?: (p: number) => boolean) =>
  (t: TrialData, p: number): TrialData =>
    t.ratings[module] === undefined || (personas && !personas(p))
      ? t
      : { ...t, ratings: { ...t.ratings, [module]: Math.max(1, t.ratings[module]! - stars) } };
