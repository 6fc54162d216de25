// A campaign's goals: per goal and per module, how often the product's end state (or, kept apart, the
// persona's own word) said it was achieved — equal weight per persona, with persona-clustered
// intervals like every other share of a report.
import type { GoalOutcome, GoalSource } from '../../schema/vocabulary.ts';
import type { TrialData } from './campaign-data.ts';
import { shareInterval, type Interval } from './intervals.ts';

export interface GoalStats {
  module: string;
  source: GoalSource;
  /** Achieved among trials whose goal was judged (achieved or failed), with its interval. */
  success: Interval;
  outcomes: Record<GoalOutcome, number>;
  personas: number;
}

const NO_OUTCOMES = (): Record<GoalOutcome, number> => ({
  achieved: 0,
  failed: 0,
  'not-attempted': 0,
  'check-error': 0,
});

/** Per goal (`goals`) and per module and source (`modules`: `todos`, `journal (self-reported)`). */
export function goalStats(trials: readonly TrialData[], level: number) {
  const by = new Map<
    string,
    {
      module: string;
      source: GoalSource;
      outcomes: Record<GoalOutcome, number>;
      perPersona: Map<string, number[]>;
    }
  >();
  const add = (key: string, module: string, source: GoalSource, personaId: string, outcome: GoalOutcome) => {
    const s = by.get(key) ?? { module, source, outcomes: NO_OUTCOMES(), perPersona: new Map() };
    s.outcomes[outcome]++;
    if (outcome === 'achieved' || outcome === 'failed') {
      const mine = s.perPersona.get(personaId) ?? [];
      mine.push(outcome === 'achieved' ? 1 : 0);
      s.perPersona.set(personaId, mine);
    }
    by.set(key, s);
  };
  for (const t of trials)
    for (const [id, g] of Object.entries(t.goals)) {
      add(`goal:${id}`, g.module, g.source, t.personaId, g.outcome);
      add(
        `module:${g.module}${g.source === 'checked' ? '' : ' (self-reported)'}`,
        g.module,
        g.source,
        t.personaId,
        g.outcome,
      );
    }
  const stats = (prefix: string): Record<string, GoalStats> =>
    Object.fromEntries(
      [...by.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, s]) => [
          k.slice(prefix.length),
          {
            module: s.module,
            source: s.source,
            success: shareInterval(
              [...s.perPersona.values()].map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length),
              level,
            ),
            outcomes: s.outcomes,
            personas: s.perPersona.size,
          },
        ]),
    );
  return { goals: stats('goal:'), modules: stats('module:') };
}
