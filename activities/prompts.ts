// What the persona is told: the opening of its day and the rating turn. The scripted provider reads
// the rating prompt's marker line to know which modules to rate, so the marker lives here with it.
import type { PersonaRow } from './persona-context.ts';

/** Marker the rating prompt carries so the simulator knows which modules to rate. */
export const RATE_MODULES_MARKER = 'Modules to rate:';

/**
 * "Simulate your day" — the opening user message of the main turn, in the persona's own time, with a
 * recap of its previous tick when there is one. Written once per tick (the transcript's `opening`
 * part), so every round re-sends the same words and the cached prefix holds.
 */
export function dayPrompt(
  persona: PersonaRow,
  now = new Date(),
  recap?: string,
  asks: readonly string[] = [],
): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: persona.timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
  return [
    `It is ${local} where you are (${persona.timezone}).`,
    'Live this part of your day in the product, as yourself: use its tools for what you would really do now —',
    'plan, track, write things down, check things off. Act, don’t narrate plans. If a tool answers with an',
    'error, react as you naturally would (fix the input, try something else, or give up on it).',
    'When you are done for now, reply with one or two sentences about how it went and call no more tools.',
    ...(asks.length ? ['', 'On your mind today:', ...asks.map((a) => `- ${a}`)] : []),
    ...(recap ? ['', recap] : []),
  ].join('\n');
}

/**
 * The rating-turn prompt: what the persona did per module, and the strict JSON it must answer with —
 * with its word on the goals that have no check in the product (`selfReported`), under `goals`.
 */
export function ratingPrompt(
  modules: string[],
  actions: Array<{ module: string | undefined; toolName: string; outcome: string; errorClass?: string }>,
  selfReported: ReadonlyArray<{ id: string; ask: string }> = [],
): string {
  const lines = modules.map((m) => {
    const mine = actions.filter((a) => a.module === m);
    const errors = mine.filter((a) => a.outcome === 'error').length;
    return `- ${m}: ${mine.length} call${mine.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'} (${[...new Set(mine.map((a) => a.toolName))].join(', ')})`;
  });
  return [
    'Your session in the product is over: do not use any more tools. Looking back on what you just',
    'lived through above (the answers, the errors, the empty results, the waiting), this is what you did, per module:',
    ...lines,
    '',
    'Rate each module you used from 1 (awful) to 5 (delightful), in character, with a short note on why.',
    ...(selfReported.length
      ? [
          '',
          'You had also set out to do this today:',
          ...selfReported.map((g) => `- ${g.id}: ${g.ask}`),
          'Say honestly for each whether you got it done, under "goals".',
        ]
      : []),
    '',
    'Answer with only a JSON object, no prose, keyed by module id, exactly these keys:',
    `{ ${[
      ...modules.map((m) => `"${m}": { "rating": <1-5>, "notes": "<why>" }`),
      ...(selfReported.length
        ? [
            `"goals": { ${selfReported.map((g) => `"${g.id}": { "achieved": <true|false>, "why": "<why>" }`).join(', ')} }`,
          ]
        : []),
    ].join(', ')} }`,
    `${RATE_MODULES_MARKER} ${modules.join(', ')}`,
  ].join('\n');
}
