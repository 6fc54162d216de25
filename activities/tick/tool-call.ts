import { createHash } from 'node:crypto';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApplicationFailure } from '@temporalio/common';
import { TICK_FAILURES, type ToolCallInput, type ToolCallResult } from '../../workflows/tick-contract.ts';
import { isErrorClass } from '../../lib/vocabulary.ts';
import type { ActivityDeps } from '../deps.ts';
import { withHeartbeat } from '../heartbeat.ts';
import { loadToolInput, saveTranscriptPart } from '../transcript.ts';
import { actionSummary } from './action-summary.ts';
import { withLatencyNote } from './latency-note.ts';
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

/**
 * One tool call through the MCP gateway. The idempotency key is derived from the tick and the
 * tool_use_id, so a retried activity never repeats a product write. A tool error (`isError`) is data
 * recorded on the action; only an unreachable gateway fails the activity (and is retried as infra).
 */
export function createToolCall(deps: ActivityDeps) {
  return async function callTool(input: ToolCallInput): Promise<ToolCallResult> {
    return withHeartbeat(() => run(input));
  };

  async function run(input: ToolCallInput): Promise<ToolCallResult> {
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
      if (err instanceof McpError) {
        // A JSON-RPC error about the request itself (e.g. invalid params): the model's doing.
        result = {
          isError: true,
          content: [{ type: 'text', text: err.message }],
          _meta: { errorClass: 'persona' },
        };
      } else {
        throw ApplicationFailure.create({
          type: TICK_FAILURES.gatewayUnavailable.type,
          message: `tool call ${input.toolName} could not reach the gateway: ${(err as Error).message}`,
        });
      }
    }
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
        content: withLatencyNote(cut, latencyMs),
        ...(result.isError && { is_error: true }),
      },
      input.toolUseId,
    );
    const claimed = result._meta?.errorClass;
    const errorClass = result.isError ? (isErrorClass(claimed) ? claimed : 'product') : undefined;
    if (errorClass) deps.metrics.actionErrors.inc({ error_class: errorClass, tool: input.toolName });
    return {
      toolName: input.toolName,
      toolUseId: input.toolUseId,
      module,
      inputHash: inputHash(input.toolName, args),
      outcome: result.isError ? 'error' : 'ok',
      errorClass,
      summary: actionSummary(catalog.tools, input.toolName, result, text),
      latencyMs,
    };
  }
}
