import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';
import { type ToolCallInput, type ToolCallResult } from '../../workflows/tick-steps-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { tagError } from '../error-tag.ts';
import { loadToolInput, saveTranscriptPart } from '../transcript.ts';
import { actionSummary } from './action-summary.ts';
import { classifyCallError, classifyResult } from './call-error-class.ts';
import { withLatencyNote } from './latency-note.ts';
import { tickCancellation } from './tick-cancellation.ts';
import { toolCatalog } from './tool-catalog.ts';

function resultText(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}

/** Stable hash of the tool input, for deduplication queries over persona_actions. */
export function inputHash(toolName: string, input: unknown): string {
  return createHash('sha256')
    .update(`${toolName}:${JSON.stringify(input)}`)
    .digest('hex')
    .slice(0, 32);
}

/** A retryable failure: Temporal repeats the call (same idempotency key) within its retry budget. */
function gatewayUnavailable(toolName: string, err: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: TICK_FAILURES.gatewayUnavailable.type,
    message: `tool call ${toolName} could not be completed by the gateway: ${(err as Error).message}`,
  });
}

/**
 * One tool call through the MCP gateway. The idempotency key is derived from the tick and the
 * tool_use_id, so a retried activity never repeats a product write. A tool error (`isError`) is data
 * recorded on the action; an unreachable or failing gateway fails the activity, which Temporal retries
 * (see call-error-class.ts for which side an error is on).
 */
export function createCallTool(deps: ActivityDeps) {
  const run = toolCallRunner(deps);
  return async function callTool(input: ToolCallInput): Promise<ToolCallResult> {
    // A local activity: the workflow waits for this answer when the tick is cancelled. A call the
    // gateway has answered is returned (and recorded); one still on its way is a cancellation — it
    // runs on in the background, its key making any rerun harmless.
    const call = run(input);
    const cancelled = tickCancellation().then(() => {
      throw new CancelledFailure(`tick cancelled before ${input.toolUseId} answered`);
    });
    return Promise.race([call, cancelled]);
  };
}

/** One tool call without the activity around it. */
export function toolCallRunner(deps: ActivityDeps) {
  return async function run(input: ToolCallInput): Promise<ToolCallResult> {
    const key = await deps.transcriptKeys.keyFor(input.personaId);
    const args = await loadToolInput(deps.db, key, input.tickId, input.round, input.toolUseId);
    if (!args) {
      throw ApplicationFailure.nonRetryable(
        `no tool_use ${input.toolUseId} stored for tick ${input.tickId} round ${input.round}`,
        TICK_FAILURES.transcriptMissing.type,
      );
    }
    const catalog = await toolCatalog(deps, input.personaId);
    // A name the model invented is not listed: the gateway answers it (a persona error the model can
    // act on), rather than this activity failing and being retried as infra.
    const listed = catalog.tools.some((t) => t.name === input.toolName);
    const module = listed ? catalog.modules[catalog.names.claudeName(input.toolName)] : undefined;
    const started = performance.now();
    let result: CallToolResult;
    try {
      result = await deps.sessions.callTool(
        input.personaId,
        input.toolName,
        args,
        `${input.tickId}:${input.toolUseId}`,
      );
    } catch (err) {
      // A failure already typed (a refused login while reconnecting) keeps its type and retryability.
      if (err instanceof ApplicationFailure) throw err;
      if (classifyCallError(err) !== 'persona') throw gatewayUnavailable(input.toolName, err);
      // The gateway refused the request itself (invalid params): the model's doing, recorded as such.
      result = {
        isError: true,
        content: [{ type: 'text', text: (err as Error).message }],
        _meta: { errorClass: 'persona' },
      };
    }
    const errorClass = classifyResult(result);
    // The gateway answered but says its own infrastructure failed: nothing was written, retry.
    if (errorClass === 'infra') throw gatewayUnavailable(input.toolName, new Error(resultText(result)));
    const latencyMs = Math.round(performance.now() - started);
    const text = resultText(result);
    const cut =
      text.length > deps.config.maxToolResultChars
        ? `${text.slice(0, deps.config.maxToolResultChars)}… [truncated]`
        : text;
    await saveTranscriptPart(
      deps.db,
      key,
      input.tickId,
      input.round,
      'tool_result',
      {
        type: 'tool_result',
        tool_use_id: input.toolUseId,
        content: withLatencyNote(errorClass ? tagError(errorClass, cut) : cut, latencyMs),
        ...(result.isError && { is_error: true }),
      },
      input.toolUseId,
    );
    if (errorClass) deps.metrics.actionErrors.inc({ error_class: errorClass, tool: input.toolName });
    const errorRule = result.isError ? result._meta?.errorRule : undefined;
    return {
      toolName: input.toolName,
      toolUseId: input.toolUseId,
      module,
      inputHash: inputHash(input.toolName, args),
      outcome: result.isError ? 'error' : 'ok',
      errorClass,
      // The gateway's word on why (a products file's rule), bounded like any text it sends.
      ...(typeof errorRule === 'string' && { errorRule: errorRule.slice(0, 300) }),
      resultSummary: actionSummary(catalog.tools, input.toolName, result, text),
      latencyMs,
    };
  };
}
