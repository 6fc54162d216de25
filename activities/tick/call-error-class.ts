import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isErrorClass, type ErrorClass } from '../../schema/vocabulary.ts';

/**
 * Which side a failed tool call is on, for calls that threw instead of returning a result. Only the
 * gateway can say the persona was wrong: a JSON-RPC "invalid params" is its verdict on the request.
 * Everything else — the connection closed (-32000), a timeout, an internal error (-32603, e.g. the
 * gateway's database is down), an HTTP 404/5xx, a failed fetch — is about the infrastructure, says
 * nothing about the persona's input, and is retried.
 */
export function classifyCallError(err: unknown): Extract<ErrorClass, 'persona' | 'infra'> {
  if (err instanceof McpError && err.code === ErrorCode.InvalidParams) return 'persona';
  return 'infra';
}

/**
 * The class of a call that returned a result: none when it succeeded; else what the gateway put in
 * `_meta.errorClass`, and `product` when a tool result carries no class (the tool said it failed).
 */
export function classifyResult(result: CallToolResult): ErrorClass | undefined {
  if (!result.isError) return undefined;
  const claimed = result._meta?.errorClass;
  return isErrorClass(claimed) ? claimed : 'product';
}
