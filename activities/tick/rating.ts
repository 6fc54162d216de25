import type { RatingInput, RatingResult } from '../../workflows/tick-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { withHeartbeat } from '../heartbeat.ts';
import { retryWrite } from '../retry-write.ts';
import { costUsd, priceFor } from '../llm/prices.ts';
import { isRatedModule, PARSE_MODULE } from '../../lib/vocabulary.ts';
import { ratingPrompt } from '../prompts.ts';
import { parseRatings } from '../rating-parse.ts';
import { saveTranscriptPart } from '../transcript.ts';

/** Structured-output schema of the rating answer: exactly the modules used, each rated 1–5. */
export function ratingSchema(modules: readonly string[]): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, notes: { type: 'string' } },
    required: ['rating', 'notes'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: Object.fromEntries(modules.map((m) => [m, entry])),
    required: [...modules],
    additionalProperties: false,
  };
}
const RATING_ROUND = -1;

/**
 * The rating turn: a fresh model call without tools asks the persona, in character, to rate each
 * module it used. Unparseable output becomes one `__parse` row (raw text kept in notes); a module
 * left out is reported as the tick's rating error, and the ratings given are kept.
 */
export function createRating(deps: ActivityDeps) {
  return async function rate(input: RatingInput): Promise<RatingResult> {
    return withHeartbeat(() => run(input));
  };

  async function run(input: RatingInput): Promise<RatingResult> {
    const persona = await deps.personas.get(input.personaId);
    const modules = [
      ...new Set(input.actions.flatMap((a) => (isRatedModule(a.module) ? [a.module] : []))),
    ].sort();
    const response = await deps.llm.createMessage({
      system: persona.systemPrompt,
      messages: [{ role: 'user', content: ratingPrompt(modules, input.actions) }],
      maxTokens: 1024,
      outputSchema: ratingSchema(modules),
      purpose: 'rating',
      persona: {
        personaId: persona.id,
        archetype: persona.archetype,
        moduleMix: persona.moduleMix,
        toolModules: {},
      },
      seed: input.tickId,
    });
    const text = response.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    const key = await deps.transcriptKeys.keyFor(persona.id);
    // As in the main turn: a paid answer is stored with retries rather than requested again.
    await retryWrite(() =>
      saveTranscriptPart(deps.db, key, input.tickId, RATING_ROUND, 'rating', {
        text,
        stopReason: response.stopReason,
      }),
    );
    const usage = response.usage;
    const cost = costUsd(priceFor(deps.config.prices, deps.llm.model), usage);
    const parsed = parseRatings(text, modules);
    if (parsed.kind === 'unparseable') {
      return {
        feedback: [
          { module: PARSE_MODULE, rating: null, notes: `${parsed.reason} | raw: ${text.slice(0, 1500)}` },
        ],
        ratingError: `rating output unparseable: ${parsed.reason}`,
        usage,
        costUsd: cost,
      };
    }
    return {
      feedback: Object.entries(parsed.ratings).map(([module, r]) => ({
        module,
        rating: r.rating,
        notes: r.notes ?? '',
      })),
      ratingError: parsed.missing.length
        ? `rating missing module(s): ${parsed.missing.join(', ')}`
        : undefined,
      usage,
      costUsd: cost,
    };
  }
}
