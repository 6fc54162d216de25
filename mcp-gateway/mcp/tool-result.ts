import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Which side a failed call is on; `infra` for an unreachable upstream product (clients also assign it: gateway down). */
export type ToolErrorClass = 'persona' | 'product' | 'policy' | 'infra';

/** Keys the gateway puts in a result's `_meta`; clients (the worker) read them to attribute errors. */
export interface GatewayResultMeta {
  errorClass?: ToolErrorClass;
  errorCode?: string;
  /** The products file's rule that classed an upstream error (error-attribution.ts). */
  errorRule?: string;
  policyFlags?: string[];
  idempotentReplay?: boolean;
  /** Set on `infra` errors: a retry may succeed (an idempotency key of the call is left unclaimed). */
  retryable?: boolean;
  /** Set on failures injected by GATEWAY_FAULTS (drills, signal proofs). */
  injectedFault?: boolean;
}

export function okResult(output: Record<string, unknown>, meta: GatewayResultMeta): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(output) }],
    structuredContent: output,
    ...(Object.keys(meta).length ? { _meta: { ...meta } } : {}),
  };
}

export function errorResult(
  errorClass: ToolErrorClass,
  code: string,
  message: string,
  meta: GatewayResultMeta = {},
): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: message }],
    _meta: { ...meta, errorClass, errorCode: code },
  };
}

/**
 * What a model reads when a tool failed on the product's side (a handler error, an injected fault):
 * nothing was written, it was not the caller's input, and what to do next. `detail` says which failure
 * (a log reference, or that it was injected). One sentence for both, so raters and readers see one form.
 */
export function productFailureMessage(tool: string, detail: string): string {
  return `${tool} failed inside the product (${detail}); nothing was written. This is not caused by your input: try again later or use another tool.`;
}
