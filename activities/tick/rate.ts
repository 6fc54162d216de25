import { ratedModules, type RatingInput, type RatingResult } from '../../workflows/tick-steps-contract.ts';
import { addTokenUsage } from '../../schema/vocabulary.ts';
import type { ActivityDeps } from '../deps.ts';
import type { PersonaRow } from '../persona-context.ts';
import type { TranscriptKey } from '../../lib/ticks/transcript-seal.ts';
import { withHeartbeat } from '../heartbeat.ts';
import { retryWrite } from '../retry-write.ts';
import { costUsd, priceFor } from '../llm/prices.ts';
import { PARSE_MODULE } from '../../schema/vocabulary.ts';
import { dayPrompt, ratingPrompt } from '../prompts.ts';
import { parseRatings } from '../rating-parse.ts';
import type { LlmRequest, LlmResponse, MessageParam } from '../llm/types.ts';
import {
  loadTranscript,
  openTranscriptRows,
  roundsAnswered,
  saveTranscriptPart,
  storedOpening,
  transcriptMessages,
} from '../transcript.ts';
import { expandPlaceholders } from '../../lib/personas/goals.ts';
import { scriptedGoals } from './scripted-goals.ts';
import { goalsOfTick } from './tick-goals.ts';
import { toolCatalog } from './tool-catalog.ts';

/**
 * Structured-output schema of the rating answer: exactly the modules used, each rated 1–5, and the
 * persona's word on each self-reported goal under `goals`.
 */
export function ratingSchema(
  modules: readonly string[],
  goalIds: readonly string[] = [],
): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, notes: { type: 'string' } },
    required: ['rating', 'notes'],
    additionalProperties: false,
  };
  const report = {
    type: 'object',
    properties: { achieved: { type: 'boolean' }, why: { type: 'string' } },
    required: ['achieved', 'why'],
    additionalProperties: false,
  };
  const goals = {
    type: 'object',
    properties: Object.fromEntries(goalIds.map((g) => [g, report])),
    required: [...goalIds],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { ...Object.fromEntries(modules.map((m) => [m, entry])), ...(goalIds.length && { goals }) },
    required: [...modules, ...(goalIds.length ? ['goals'] : [])],
    additionalProperties: false,
  };
}
const RATING_ROUND = -1;

/**
 * The conversation the persona lived, followed by the rating prompt in the same user turn when the
 * conversation ends on tool results (the model never answered them), else in a turn of its own.
 */
export function ratingMessages(conversation: MessageParam[], prompt: string): MessageParam[] {
  const last = conversation.at(-1);
  if (last?.role !== 'user' || conversation.length === 1) {
    return [...conversation, { role: 'user', content: prompt }];
  }
  const blocks =
    typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
  return [
    ...conversation.slice(0, -1),
    { role: 'user', content: [...blocks, { type: 'text', text: prompt }] },
  ];
}

const usedTools = (r: LlmResponse) => r.content.some((b) => b.type === 'tool_use');

/** What a rating turn reuses of the tick it ends: the persona, the tool list and the transcript key. */
export interface RatingContext {
  tickId: string;
  /** The tick's seed: which goals it has (those without a check are reported in the rating). */
  seed: string;
  persona: PersonaRow;
  catalog: Awaited<ReturnType<typeof toolCatalog>>;
  key: TranscriptKey;
}

/**
 * The rating turn continues the tick's own conversation — same system prompt, same tools, the
 * cached prefix reused — so the persona rates what it actually saw: the answers, errors, empty
 * results and slow calls, not a count of them. It asks the persona, in character, to rate each
 * module it used. Tools stay listed (changing them or tool_choice would invalidate the cached
 * conversation) but are never executed here: an answer that calls a tool is asked again with tool
 * use disabled. Unparseable output becomes one `__parse` row (raw text kept in notes); a module
 * left out is reported as the tick's rating error, and the ratings given are kept.
 *
 * Runs as the `rate` activity (the conversation read back from Postgres) and inside the main
 * turn's last `modelCall` (the conversation it has
 * just sent and answered).
 */
export async function rateConversation(
  deps: ActivityDeps,
  ctx: RatingContext,
  conversation: MessageParam[],
  actions: RatingInput['actions'],
): Promise<RatingResult> {
  const { persona, catalog } = ctx;
  const modules = ratedModules(actions);
  const now = new Date();
  const selfReported = goalsOfTick(persona, ctx.seed)
    .filter((g) => !g.check)
    .map((g) => ({
      ...g,
      ask: expandPlaceholders(g.ask, { timezone: persona.timezone, email: persona.email, now }),
    }));
  const goalIds = selfReported.map((g) => g.id);
  const request: LlmRequest = {
    system: persona.systemPrompt,
    messages: ratingMessages(conversation, ratingPrompt(modules, actions, selfReported)),
    tools: catalog.claudeTools,
    maxTokens: 1024,
    outputSchema: ratingSchema(modules, goalIds),
    purpose: 'rating',
    persona: {
      personaId: persona.id,
      archetype: persona.archetype,
      moduleMix: persona.moduleMix,
      toolModules: catalog.modules,
      ...(selfReported.length && { goals: scriptedGoals(selfReported, catalog.names, persona) }),
    },
    seed: ctx.tickId,
  };
  let response = await deps.llm.createMessage(request);
  if (usedTools(response)) {
    const again = await deps.llm.createMessage({ ...request, toolChoice: 'none' });
    response = { ...again, usage: addTokenUsage(response.usage, again.usage) };
  }
  const text = response.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  // As in the main turn: a paid answer is stored with retries rather than requested again.
  await retryWrite(() =>
    saveTranscriptPart(deps.db, ctx.key, ctx.tickId, RATING_ROUND, 'rating', {
      text,
      stopReason: response.stopReason,
    }),
  );
  const usage = response.usage;
  const cost = costUsd(priceFor(deps.config.prices, deps.llm.model), usage);
  const parsed = parseRatings(text, modules, goalIds);
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
    ratingError: parsed.missing.length ? `rating missing module(s): ${parsed.missing.join(', ')}` : undefined,
    ...(Object.keys(parsed.goals).length && { goals: parsed.goals }),
    usage,
    costUsd: cost,
  };
}

/** The `rate` activity: the rating turn over the conversation stored in Postgres. */
export function createRate(deps: ActivityDeps) {
  return async function rate(input: RatingInput): Promise<RatingResult> {
    return withHeartbeat(() => run(input));
  };

  async function run(input: RatingInput): Promise<RatingResult> {
    const persona = await deps.personas.get(input.personaId);
    const [rows, catalog, key] = await Promise.all([
      loadTranscript(deps.db, input.tickId),
      toolCatalog(deps, persona.id),
      deps.transcriptKeys.keyFor(persona.id),
    ]);
    const opened = openTranscriptRows(rows, key);
    const conversation = transcriptMessages(
      opened,
      storedOpening(opened, () => dayPrompt(persona)),
      roundsAnswered(opened),
    );
    return rateConversation(
      deps,
      { tickId: input.tickId, seed: input.seed ?? input.tickId, persona, catalog, key },
      conversation,
      input.actions,
    );
  }
}
