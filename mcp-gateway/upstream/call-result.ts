import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RESULT_LIMITS, shapeProblem } from './value-shape.ts';

/** Whether a content block lacks what its type needs (the SDK's ContentBlock schema, by hand). */
function malformedBlock(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return true;
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return typeof b.text !== 'string';
    case 'image':
    case 'audio':
      return typeof b.data !== 'string' || typeof b.mimeType !== 'string';
    case 'resource':
      return typeof b.resource !== 'object' || b.resource === null;
    case 'resource_link':
      return typeof b.uri !== 'string' || typeof b.name !== 'string';
    default:
      return true;
  }
}

/**
 * An upstream's tools/call result, checked by hand for what the SDK's CallToolResultSchema requires
 * (a zod parse of every result costs more than this loop; the gateway's own MCP server parses the
 * answer once more on the way out anyway). Missing `content` means empty, as in the SDK. Malformed →
 * an McpError that upstream-call.ts reports as the product's error, rather than the gateway's own
 * server refusing the answer as "invalid params" (which would read as the persona's fault). A
 * result nested too deep is malformed too: serialising it (for the client, for replays) would
 * overflow the stack.
 */
export function toCallToolResult(raw: unknown): CallToolResult {
  const malformed = (what: string) =>
    new McpError(ErrorCode.InternalError, `the upstream answered tools/call with ${what}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw malformed('a result that is not an object');
  const shape = shapeProblem(raw, RESULT_LIMITS);
  if (shape) throw malformed(`a result that ${shape}`);
  const result = raw as CallToolResult;
  if (result.content !== undefined && !Array.isArray(result.content))
    throw malformed('a content that is not a list');
  const bad = (result.content ?? []).findIndex(malformedBlock);
  if (bad >= 0) throw malformed(`a malformed content block (content[${bad}])`);
  const structured = result.structuredContent as unknown;
  if (
    structured !== undefined &&
    (typeof structured !== 'object' || structured === null || Array.isArray(structured))
  )
    throw malformed('structured content that is not an object');
  if (result.isError !== undefined && typeof result.isError !== 'boolean')
    throw malformed('an isError that is not a boolean');
  return result.content === undefined ? { ...result, content: [] } : result;
}
