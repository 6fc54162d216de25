import type { ModelCallInput, ModelCallResult } from '../../workflows/tick-contract.ts';
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
    let opening = storedOpening(rows, () => '');
    if (!opening) {
      // Round 0 (or a tick from before openings were stored): written once, re-sent every round.
      const now = new Date();
      opening = dayPrompt(persona, now, await previousTickRecap(deps.db, persona.id, input.tickId, now));
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
        },
        seed: input.seed ?? input.tickId,
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
    return {
      stopReason: response.stopReason,
      toolUses,
      usage: response.usage,
      costUsd: costUsd(priceFor(deps.config.prices, deps.llm.model), response.usage),
    };
  }
}
