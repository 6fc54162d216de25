// Who got hurt: a release that breaks one kind of user moves the mean little — a few personas losing
// a lot is a small drop on average, too concentrated for a test over all personas to call — but each
// of those personas felt it in every trial. Listed per persona and module, beside the verdicts.
import type { CampaignData } from './campaign-data.ts';
import { personaDifferences, ratingValues } from './trial-values.ts';

const TOLERANCE = 1e-9;

export interface PersonaHurt {
  personaId: string;
  name: string;
  archetype: string;
  module: string;
  /** Mean change of its rating (negative), in stars. */
  change: number;
  /** Trials compared: every one of them dropped by at least the minimum effect. */
  trials: number;
}

/**
 * Personas whose rating of a module dropped by at least `minEffect` in each of their paired trials
 * (at least two). Only trials paired by seed count: without the same day on both sides there is no
 * "this trial dropped", and comparing every rating with every other would list noise.
 */
export function personasHurt(
  base: CampaignData,
  cand: CampaignData,
  modules: readonly string[],
  minEffect: number,
): PersonaHurt[] {
  const out: PersonaHurt[] = [];
  for (const module of modules) {
    for (const d of personaDifferences(ratingValues(base, module), ratingValues(cand, module))) {
      if (d.pairs.length < 2 || !d.pairs.every((x) => -x >= minEffect - TOLERANCE)) continue;
      const who = base.personas[d.personaId] ?? cand.personas[d.personaId];
      out.push({
        personaId: d.personaId,
        name: who?.name ?? d.personaId,
        archetype: who?.archetype ?? '',
        module,
        change: d.difference,
        trials: d.pairs.length,
      });
    }
  }
  return out.sort((a, b) => a.change - b.change || a.name.localeCompare(b.name));
}
