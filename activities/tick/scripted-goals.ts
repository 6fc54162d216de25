import { expandPlaceholders, type Goal } from '../../lib/personas/goals.ts';
import type { ToolNameMap } from '../llm/tool-names.ts';
import type { PersonaContext } from '../llm/types.ts';
import type { PersonaRow } from '../persona-context.ts';

/**
 * The tick's goals as the scripted provider gets them: their `scripted` calls with placeholders
 * expanded (in the persona's time zone) and tool names as the model knows them; whether the persona
 * reports the goal itself (no check). A goal whose scripted calls name a tool this tick does not offer
 * (a products file without that module) gets no calls: the persona does not attempt it, as when it has
 * no `scripted` at all, and the check or the rating reports that.
 */
export function scriptedGoals(
  goals: readonly Goal[],
  names: ToolNameMap,
  persona: Pick<PersonaRow, 'timezone' | 'email'>,
  now = new Date(),
): NonNullable<PersonaContext['goals']> {
  const ctx = { timezone: persona.timezone, email: persona.email, now };
  return goals.map((g) => {
    const scripted = g.scripted ?? [];
    const offered = scripted.every((c) => names.offers(c.tool));
    return {
      id: g.id,
      selfReport: !g.check,
      calls: offered
        ? scripted.map((c) => ({
            name: names.claudeName(c.tool),
            input: expandPlaceholders(c.arguments, ctx),
          }))
        : [],
    };
  });
}
