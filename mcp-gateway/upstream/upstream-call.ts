import { randomUUID } from 'node:crypto';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { decryptValue, encryptValue } from '../../lib/demo-product/aes-gcm.ts';
import { argumentsTooDeep, type CallDeps, type CallSession } from '../mcp/call-tool.ts';
import { isDatabaseUnavailable } from '../../lib/db/unavailable.ts';
import { readIdempotencyKey, stableHash } from '../mcp/idempotency.ts';
import { errorResult, type GatewayResultMeta } from '../mcp/tool-result.ts';
import { evaluatePolicy } from '../policy/evaluate-policy.ts';
import { callIdempotently } from './idempotent-call.ts';
import { validateUpstreamInput, validateUpstreamOutput } from './input-validation.ts';
import type { ProductUpstream } from './product-upstream.ts';
import type { Redactor } from './redaction.ts';
import { attributeUpstreamError, resultText } from './error-attribution.ts';
import type { ExposedTool } from './tool-mapping.ts';
import type { UpstreamConnection } from './upstream-connection.ts';
import { describeUpstreamError, formatBytes, UpstreamLimitError } from './upstream-errors.ts';

/** How long past the call timeout an unsettled idempotency claim is still a running call. */
const LEASE_MARGIN_MS = 30_000;

/**
 * A call of a federated tool: argument depth → policy gate (annotations → policy hint) → the
 * upstream's input schema (ajv) → idempotency claim (idempotent-call.ts) → the upstream → its output
 * schema → the stored result. Error classes: arguments too deep or invalid, JSON-RPC invalid params
 * → `persona`; the upstream's `isError`, another JSON-RPC error, a malformed result or output that
 * breaks its schema → `product` (the first two: unless a rule of the product's `errors` matches their
 * text, error-attribution.ts); unreachable, timed out, crashed or past a byte limit → `infra`
 * (retryable: the claim is released); policy → `policy`. What the upstream sends back has the
 * session's credentials masked (redaction.ts).
 */
export async function callUpstreamTool(
  deps: CallDeps,
  session: CallSession,
  product: ProductUpstream,
  tool: ExposedTool,
  rawArgs: unknown,
  requestMeta: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const started = performance.now();
  // A seeded fault (GATEWAY_FAULTS) answers before the upstream is called, as for a built-in tool.
  const injected = await deps.faults?.inject(tool.name, deps.metrics);
  const result = injected ?? (await run(deps, session, product, tool, rawArgs ?? {}, requestMeta));
  const errorClass = (result._meta?.errorClass as string | undefined) ?? '';
  const outcome = result.isError ? 'error' : 'ok';
  deps.metrics.toolCalls.inc({ tool: tool.name, outcome, error_class: errorClass });
  deps.metrics.upstreamCalls.inc({
    product: tool.product,
    tool: tool.name,
    outcome,
    error_class: errorClass,
  });
  const seconds = (performance.now() - started) / 1000;
  deps.metrics.toolDuration.observe({ tool: tool.name }, seconds);
  deps.metrics.upstreamDuration.observe({ product: tool.product, tool: tool.name }, seconds);
  return result;
}

async function run(
  deps: CallDeps,
  session: CallSession,
  product: ProductUpstream,
  tool: ExposedTool,
  args: unknown,
  requestMeta: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const { user } = session;
  // First: the policy scan, ajv, the idempotency hash and serialising them for the upstream all walk them.
  const deep = argumentsTooDeep(tool.name, args);
  if (deep) return deep;
  const decision = await evaluatePolicy({
    mode: deps.policy.mode,
    user,
    tool: { name: tool.name, scope: 'user-space', policyHint: tool.policyHint },
    args,
    rateLimiter: deps.policy.rateLimiter,
  });
  const counted = decision.decision === 'deny' ? 'deny' : decision.wouldDeny ? 'would-deny' : 'allow';
  deps.metrics.policyDecisions.inc({ decision: counted, reason: decision.reason, mode: deps.policy.mode });
  for (const marker of decision.flags) deps.metrics.policyFlags.inc({ marker, tool: tool.name });
  const meta: GatewayResultMeta = decision.flags.length ? { policyFlags: decision.flags } : {};
  if (decision.decision === 'deny') {
    const code = `POLICY_${decision.reason.toUpperCase().replace(/-/g, '_')}`;
    return errorResult('policy', code, `denied by policy: ${decision.message}`, meta);
  }
  const invalid = validateUpstreamInput(tool, args);
  if (invalid)
    return errorResult(
      'persona',
      'INVALID_ARGUMENTS',
      `invalid arguments for ${tool.name}: ${invalid}`,
      meta,
    );
  const idem = readIdempotencyKey(requestMeta);
  if (idem.error) return errorResult('persona', 'INVALID_IDEMPOTENCY_KEY', idem.error, meta);

  const callOnce = () => callUpstream(deps, session, product, tool, args as Record<string, unknown>, meta);
  if (!idem.key) return callOnce();
  let outcome;
  try {
    outcome = await callIdempotently({
      db: deps.db,
      userId: user.id,
      key: idem.key,
      toolName: tool.name,
      inputHash: stableHash(args),
      leaseMs: product.config.callTimeoutSeconds * 1000 + LEASE_MARGIN_MS,
      call: callOnce,
      seal: (result) => sealResult(result, session.masterKey),
      onStoreFailed: (err) =>
        deps.logger.warn(
          { tool: tool.name, err: (err as Error).message },
          'idempotent upstream call: the result could not be stored',
        ),
    });
  } catch (err) {
    // Postgres is down or restarting: nothing was called; a retry with the same key runs once.
    if (!isDatabaseUnavailable(err)) throw err;
    deps.logger.warn({ tool: tool.name, err: (err as Error).message }, 'upstream call: database unavailable');
    throw new McpError(
      ErrorCode.InternalError,
      `${tool.name}: the gateway's database is unavailable right now; nothing was called, retry later`,
    );
  }
  switch (outcome.kind) {
    case 'called':
      return outcome.result;
    case 'replay':
      deps.metrics.idempotentReplays.inc({ tool: tool.name });
      return withMeta(openResult(outcome.stored, session.masterKey), { ...meta, idempotentReplay: true });
    case 'conflict':
      return errorResult('persona', 'IDEMPOTENCY_KEY_REUSED', outcome.message, meta);
    case 'in-progress':
      return errorResult('infra', 'IDEMPOTENCY_IN_PROGRESS', outcome.message, { ...meta, retryable: true });
  }
}

async function callUpstream(
  deps: CallDeps,
  session: CallSession,
  product: ProductUpstream,
  tool: ExposedTool,
  args: Record<string, unknown>,
  meta: GatewayResultMeta,
): Promise<CallToolResult> {
  let conn: UpstreamConnection | undefined;
  try {
    conn = product.connectionFor({ id: session.user.id, email: session.user.email });
    const raw = await conn.callTool(tool.upstreamName, args, product.config.callTimeoutSeconds * 1000);
    const result = conn.redactor.value(raw);
    if (result.isError) {
      const { errorClass, errorRule } = attributeUpstreamError(
        product.config.errorRules,
        resultText(result.content),
      );
      return withMeta(result, {
        ...meta,
        errorClass,
        errorCode: 'UPSTREAM_TOOL_ERROR',
        ...(errorRule && { errorRule }),
      });
    }
    const badOutput = validateUpstreamOutput(tool, result.structuredContent);
    if (badOutput) {
      return errorResult(
        'product',
        'UPSTREAM_BAD_OUTPUT',
        `${tool.name} failed inside ${tool.product}: its result does not match the tool's output schema (${badOutput})`,
        meta,
      );
    }
    return Object.keys(meta).length ? withMeta(result, meta) : result;
  } catch (err) {
    return failedCall(deps, product, tool, err, conn?.redactor, meta);
  }
}

/** The tool error for a call that did not come back with a result. */
function failedCall(
  deps: CallDeps,
  product: ProductUpstream,
  tool: ExposedTool,
  err: unknown,
  redactor: Redactor | undefined,
  meta: GatewayResultMeta,
): CallToolResult {
  const redact = (text: string) => redactor?.text(text) ?? text;
  // The upstream's own words (a JSON-RPC error's message) reach the persona, credentials masked.
  const upstreamWords = (e: McpError) => redact(e.message.replace(/^MCP error -?\d+: /, '')).slice(0, 1000);
  if (err instanceof McpError && err.code === ErrorCode.InvalidParams)
    return errorResult('persona', 'INVALID_ARGUMENTS', `${tool.name}: ${upstreamWords(err)}`, meta);
  const ref = randomUUID().slice(0, 8);
  const timeout = err instanceof McpError && err.code === ErrorCode.RequestTimeout;
  if (err instanceof McpError && !timeout && err.code !== ErrorCode.ConnectionClosed) {
    // Any other JSON-RPC error is the upstream failing the request: the product's side, unless a
    // rule of the product's `errors` says its wording means the persona's slip.
    const words = upstreamWords(err);
    const { errorClass, errorRule } = attributeUpstreamError(product.config.errorRules, words);
    if (errorClass === 'persona')
      return errorResult('persona', 'UPSTREAM_ERROR', `${tool.name}: ${words}`, { ...meta, errorRule });
    deps.logger.warn(
      { product: tool.product, tool: tool.name, ref, code: err.code, err: upstreamWords(err) },
      'upstream error',
    );
    return errorResult(
      'product',
      'UPSTREAM_ERROR',
      `${tool.name} failed inside ${tool.product} (ref ${ref}): ${words}`,
      errorRule ? { ...meta, errorRule } : meta,
    );
  }
  const reason = redact(describeUpstreamError(err));
  deps.logger.warn({ product: tool.product, tool: tool.name, ref, err: reason }, 'upstream unavailable');
  const retry = 'this is not caused by your input: try again later.';
  const [code, message] =
    err instanceof UpstreamLimitError
      ? [
          'UPSTREAM_TOO_LARGE',
          `${tool.product} sent more than its ${err.limit} (${formatBytes(err.limitBytes)}) in answer to ${tool.name}; ` +
            `the answer was dropped unread (ref ${ref}). It may fit if you ask for less; otherwise ${retry}`,
        ]
      : timeout
        ? [
            'UPSTREAM_TIMEOUT',
            `${tool.product} did not answer within ${product.config.callTimeoutSeconds}s (ref ${ref}); ${retry}`,
          ]
        : [
            'UPSTREAM_UNAVAILABLE',
            `${tool.product} is unavailable right now: ${reason} (ref ${ref}); ${retry}`,
          ];
  return errorResult('infra', code, message, { ...meta, retryable: true });
}

function withMeta(result: CallToolResult, meta: GatewayResultMeta): CallToolResult {
  return { ...result, _meta: { ...result._meta, ...meta } };
}

/**
 * Upstream results may hold anything the product keeps private, so the copy kept for replays is
 * always sealed with the user's master key. A zero-knowledge user has none: only the fact is kept.
 */
function sealResult(result: CallToolResult, masterKey: Buffer | undefined): Record<string, unknown> {
  const { _meta: _dropped, ...rest } = result;
  if (!masterKey) return { withheld: true };
  return { sealed: encryptValue(masterKey, JSON.stringify(rest)) };
}

function openResult(stored: Record<string, unknown>, masterKey: Buffer | undefined): CallToolResult {
  if (typeof stored.sealed === 'string' && masterKey)
    return JSON.parse(decryptValue(masterKey, stored.sealed)) as CallToolResult;
  return {
    content: [{ type: 'text', text: 'This call was already made; its result is not kept for this account.' }],
  };
}
