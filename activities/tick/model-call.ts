import { failureText } from '../../workflows/failures.ts';
import {
  type ModelCallInput,
  type ModelCallResult,
  type RatingInput,
  type RatingResult,
} from '../../workflows/tick-steps-contract.ts';
import type { MessageParam } from '../llm/types.ts';
import type { ActivityDeps } from '../deps.ts';
import { withHeartbeat } from '../heartbeat.ts';
import { retryWrite } from '../retry-write.ts';
import { costUsd, priceFor } from '../llm/prices.ts';
import { dayPrompt } from '../prompts.ts';
import { previousTickRecap } from '../recap.ts';
import {
  loadTranscript,
  openTranscriptRows,
  saveTranscriptPart,
  storedOpening,
  transcriptMessages,
} from '../transcript.ts';
import { rateConversation, type RatingContext } from './rate.ts';
import { activityCancelled, tickEnded } from './tick-cancellation.ts';
import { expandPlaceholders } from '../../lib/personas/goals.ts';
import { scriptedGoals } from './scripted-goals.ts';
import { goalsOfTick } from './tick-goals.ts';
import { toolCatalog } from './tool-catalog.ts';

/**
 * One model call of the main turn. The conversation is rebuilt from Postgres and the answer stored
 * under (tick, round), so a retry replaces it; only the stop reason, tool-use ids and usage go back
 * to the workflow.
 */
export function createModelCall(deps: ActivityDeps) {
  return async function modelCall(input: ModelCallInput): Promise<ModelCallResult> {
    return withHeartbeat(() => run(input));
  };

  async function run(input: ModelCallInput): Promise<ModelCallResult> {
    // The persona and the transcript are independent reads: one round trip instead of two. A missing
    // persona still wins over any other failure, as when they were read one after the other.
    const [personaRead, transcriptRead] = await Promise.allSettled([
      deps.personas.get(input.personaId),
      loadTranscript(deps.db, input.tickId),
    ]);
    if (personaRead.status === 'rejected') throw personaRead.reason;
    if (transcriptRead.status === 'rejected') throw transcriptRead.reason;
    const persona = personaRead.value;
    const key = await deps.transcriptKeys.keyFor(persona.id);
    const catalog = await toolCatalog(deps, persona.id);
    const rows = openTranscriptRows(transcriptRead.value, key);
    const seed = input.seed ?? input.tickId;
    const goals = goalsOfTick(persona, seed);
    let opening = storedOpening(rows, () => '');
    if (!opening) {
      // Round 0 (or a tick from before openings were stored): written once, re-sent every round.
      const now = new Date();
      const recap = await previousTickRecap(deps.db, persona.id, input.tickId, now);
      const asks = goals.map((g) =>
        expandPlaceholders(g.ask, { timezone: persona.timezone, email: persona.email, now }),
      );
      opening = dayPrompt(persona, now, recap, asks);
      await saveTranscriptPart(deps.db, key, input.tickId, 0, 'opening', opening);
    }
    const messages = transcriptMessages(rows, opening, input.round);
    let response;
    try {
      response = await deps.llm.createMessage({
        system: persona.systemPrompt,
        messages,
        tools: catalog.claudeTools,
        maxTokens: input.maxTokens ?? deps.config.maxTokensPerCall,
        purpose: 'main',
        persona: {
          personaId: persona.id,
          archetype: persona.archetype,
          moduleMix: persona.moduleMix,
          toolModules: catalog.modules,
          toolHints: catalog.hints,
          ...(goals.length && { goals: scriptedGoals(goals, catalog.names, persona) }),
        },
        seed,
      });
      deps.metrics.modelCalls.inc({ provider: deps.llm.kind, outcome: 'ok' });
    } catch (err) {
      deps.metrics.modelCalls.inc({ provider: deps.llm.kind, outcome: 'error' });
      throw err;
    }
    // The answer is paid for: a database blip must not make Temporal ask (and bill) the model again.
    await retryWrite(() =>
      saveTranscriptPart(deps.db, key, input.tickId, input.round, 'assistant', response.content),
    );
    const toolUses = response.content.flatMap((b) =>
      b.type === 'tool_use' ? [{ id: b.id, name: catalog.names.mcpName(b.name) ?? b.name }] : [],
    );
    const ended = response.stopReason !== 'tool_use' || toolUses.length === 0;
    // A cancelled tick wants no rating: the workflow no longer waits for this answer.
    const rating =
      ended && input.rateOnEnd && !activityCancelled() && !(await tickEnded(deps.db, input.tickId))
        ? await rateRightAway(
            { tickId: input.tickId, seed, persona, catalog, key },
            [...messages, { role: 'assistant', content: response.content }],
            input.rateOnEnd,
          )
        : undefined;
    return {
      stopReason: response.stopReason,
      toolUses,
      usage: response.usage,
      costUsd: costUsd(priceFor(deps.config.prices, deps.llm.model), response.usage),
      ...(rating && { rating }),
    };
  }

  /**
   * The rating turn in the same activity as the answer that ended the main turn: one activity and
   * one workflow task fewer per tick. A failure is not this activity's: it would make Temporal retry
   * the main turn and pay for it again. The workflow then runs the `rate` activity, with its own
   * retries.
   */
  async function rateRightAway(
    ctx: RatingContext,
    conversation: MessageParam[],
    actions: RatingInput['actions'],
  ): Promise<RatingResult | undefined> {
    try {
      return await rateConversation(deps, ctx, conversation, actions);
    } catch (err) {
      deps.logger.warn(
        { tickId: ctx.tickId, err: failureText(err) },
        'rating turn failed inside the last model call; the workflow rates in an activity of its own',
      );
      return undefined;
    }
  }
}
