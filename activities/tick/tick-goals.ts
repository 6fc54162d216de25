import { goalsForTick, type Goal } from '../../lib/personas/goals.ts';
import type { TickGoal } from '../../workflows/tick-steps-contract.ts';
import type { PersonaRow } from '../persona-context.ts';

/**
 * The goals a tick has: the persona's, or `goalsPerTick` of them sampled by the tick's seed (a
 * campaign's trial seed, so paired trials get the same goals). Login, the model's day prompt, the
 * rating turn and the check step each derive the same set from the persona row and the seed.
 */
export function goalsOfTick(persona: Pick<PersonaRow, 'goals' | 'goalsPerTick'>, seed: string): Goal[] {
  return goalsForTick(persona.goals, persona.goalsPerTick, seed);
}

/** The goals of a tick as the workflow carries them. */
export function tickGoals(persona: Pick<PersonaRow, 'goals' | 'goalsPerTick'>, seed: string): TickGoal[] {
  return goalsOfTick(persona, seed).map((g) => ({
    goalId: g.id,
    module: g.module,
    source: g.check ? 'checked' : 'self-reported',
  }));
}
