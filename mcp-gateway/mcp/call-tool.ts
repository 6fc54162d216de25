import { randomUUID } from 'node:crypto';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Db, DbOrTx } from '../../lib/db/client.ts';
import { isDatabaseUnavailable } from '../../lib/db/unavailable.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PolicyMode } from '../config.ts';
import { FieldCipher, ZeroKnowledgeError } from '../crypto/field-cipher.ts';
import type { FaultInjector } from '../faults.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { evaluatePolicy } from '../policy/evaluate-policy.ts';
import { ArgumentsTooDeepError, checkArgumentDepth } from '../policy/injection-markers.ts';
import type { RateLimiter } from '../policy/rate-limiter.ts';
import { assertMember } from '../tools/common.ts';
import { ToolInputError } from '../tools/tool-errors.ts';
import type { SessionUser, ToolSpec } from '../tools/tool-spec.ts';
import { formatZodError } from './format-zod-error.ts';
import { openStoredResult, readIdempotencyKey, sealStoredResult } from './idempotency.ts';
import { runIdempotent } from './run-idempotent.ts';
import { errorResult, okResult, productFailureMessage, type GatewayResultMeta } from './tool-result.ts';

export interface CallDeps {
  db: Db;
  logger: Logger;
  metrics: GatewayMetrics;
  policy: { mode: PolicyMode; rateLimiter: RateLimiter };
  /** GATEWAY_FAULTS, when set. */
  faults?: FaultInjector;
}

export interface CallSession {
  user: SessionUser;
  /** Undefined for a zero-knowledge user. */
  masterKey: Buffer | undefined;
}

/**
 * The path of every tool call: policy gate → input validation → handler → output check; a call that
 * may write runs in one transaction, with its idempotency key's claim and stored result when it has
 * one (runIdempotent). Anything a caller can cause comes back as an `isError` result naming the
 * problem; a failure rolls the whole call back, so no partial write.
 */
export async function callTool(
  deps: CallDeps,
  session: CallSession,
  spec: ToolSpec,
  rawArgs: unknown,
  requestMeta: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const started = performance.now();
  // A seeded fault (GATEWAY_FAULTS) answers before the call runs: nothing is written.
  const injected = await deps.faults?.inject(spec.name, deps.metrics);
  let result: CallToolResult;
  try {
    const args = deps.faults ? deps.faults.strip(spec.name, rawArgs ?? {}, deps.metrics) : (rawArgs ?? {});
    result = injected ?? (await runCall(deps, session, spec, args, requestMeta));
  } catch (err) {
    deps.metrics.toolCalls.inc({ tool: spec.name, outcome: 'error', error_class: 'infra' });
    throw err;
  }
  const errorClass = (result._meta?.errorClass as string | undefined) ?? '';
  deps.metrics.toolCalls.inc({
    tool: spec.name,
    outcome: result.isError ? 'error' : 'ok',
    error_class: errorClass,
  });
  deps.metrics.toolDuration.observe({ tool: spec.name }, (performance.now() - started) / 1000);
  return result;
}

/**
 * The `persona` tool error for arguments nested deeper than MAX_ARGUMENT_DEPTH, in every policy mode;
 * undefined when they are fine. Built-in and federated calls check it first, before anything walks
 * the arguments.
 */
export function argumentsTooDeep(toolName: string, rawArgs: unknown): CallToolResult | undefined {
  try {
    checkArgumentDepth(rawArgs);
    return undefined;
  } catch (err) {
    if (err instanceof ArgumentsTooDeepError)
      return errorResult('persona', err.code, `invalid arguments for ${toolName}: ${err.message}`, {});
    throw err;
  }
}

async function runCall(
  deps: CallDeps,
  session: CallSession,
  spec: ToolSpec,
  rawArgs: unknown,
  requestMeta: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const { user } = session;
  // Before anything walks the arguments (policy scan, zod, error formatting): nesting is bounded.
  const deep = argumentsTooDeep(spec.name, rawArgs);
  if (deep) return deep;
  const decision = await evaluatePolicy({
    mode: deps.policy.mode,
    user,
    tool: spec,
    args: rawArgs,
    rateLimiter: deps.policy.rateLimiter,
  });
  const counted = decision.decision === 'deny' ? 'deny' : decision.wouldDeny ? 'would-deny' : 'allow';
  deps.metrics.policyDecisions.inc({ decision: counted, reason: decision.reason, mode: deps.policy.mode });
  for (const marker of decision.flags) deps.metrics.policyFlags.inc({ marker, tool: spec.name });
  if (decision.wouldDeny || decision.flags.length) {
    deps.logger.info(
      { tool: spec.name, user: user.id, decision: counted, reason: decision.reason, flags: decision.flags },
      'policy',
    );
  }
  const meta: GatewayResultMeta = decision.flags.length ? { policyFlags: decision.flags } : {};
  if (decision.decision === 'deny') {
    return errorResult(
      'policy',
      `POLICY_${decision.reason.toUpperCase().replace(/-/g, '_')}`,
      `denied by policy: ${decision.message}`,
      meta,
    );
  }

  const parsed = spec.input.safeParse(rawArgs);
  if (!parsed.success) {
    return errorResult(
      'persona',
      'INVALID_ARGUMENTS',
      `invalid arguments for ${spec.name}: ${formatZodError(parsed.error, rawArgs)}`,
      meta,
    );
  }
  const idem = readIdempotencyKey(requestMeta);
  if (idem.error) return errorResult('persona', 'INVALID_IDEMPOTENCY_KEY', idem.error, meta);
  if (Object.keys(spec.encryptedFields).length && !session.masterKey) {
    const table = Object.keys(spec.encryptedFields)[0]!;
    return errorResult('persona', 'ZERO_KNOWLEDGE', new ZeroKnowledgeError(table).message, meta);
  }

  const cipher = new FieldCipher(session.masterKey);
  // The handler and the output check; a mismatch throws, which rolls a transaction back.
  const invoke = async (tx: DbOrTx): Promise<Record<string, unknown>> => {
    const output = await spec.handler(parsed.data, {
      tx,
      user,
      cipher,
      resolveSpace: async (spaceId) => {
        if (spaceId === undefined || spaceId === user.personalSpaceId) return user.personalSpaceId;
        await assertMember(tx, user.id, spaceId);
        return spaceId;
      },
    });
    const checked = spec.output.safeParse(output);
    if (!checked.success) {
      throw new Error(
        `output of ${spec.name} does not match its schema: ${formatZodError(checked.error, output)}`,
      );
    }
    return checked.data as Record<string, unknown>;
  };
  try {
    if (!idem.key) {
      // A plain read needs no transaction (see ToolContext.tx); anything that may write gets one.
      const out = spec.policyHint === 'read' ? await invoke(deps.db) : await deps.db.transaction(invoke);
      return okResult(out, meta);
    }
    const outcome = await runIdempotent(
      deps.db,
      { userId: user.id, key: idem.key, tool: spec.name, input: parsed.data },
      invoke,
      (out) => sealStoredResult(out, spec.encryptedFields, session.masterKey),
    );
    if (outcome.kind === 'conflict')
      return errorResult('persona', 'IDEMPOTENCY_KEY_REUSED', outcome.message, meta);
    if (outcome.kind === 'replay') {
      deps.metrics.idempotentReplays.inc({ tool: spec.name });
      return okResult(openStoredResult(outcome.stored, session.masterKey), {
        ...meta,
        idempotentReplay: true,
      });
    }
    return okResult(outcome.result, meta);
  } catch (err) {
    if (err instanceof ToolInputError)
      return errorResult('persona', err.code, `${spec.name}: ${err.message}`, meta);
    if (err instanceof ZeroKnowledgeError) return errorResult('persona', err.code, err.message, meta);
    // The database is down or restarting: not the product's fault and not the caller's. The call was
    // rolled back (or never began), so it is answered as a JSON-RPC internal error, which clients
    // treat as retryable infrastructure — with the same idempotency key, it runs once.
    if (isDatabaseUnavailable(err)) {
      deps.logger.warn({ tool: spec.name, err: (err as Error).message }, 'tool call: database unavailable');
      throw new McpError(
        ErrorCode.InternalError,
        `${spec.name}: the product's database is unavailable right now; nothing was written, retry later`,
      );
    }
    // A product failure: the details go to the log under a reference, the model gets a sentence it can act on.
    const ref = randomUUID().slice(0, 8);
    deps.logger.error({ err, tool: spec.name, ref }, 'tool handler failed');
    return errorResult('product', 'HANDLER_FAILED', productFailureMessage(spec.name, `ref ${ref}`), meta);
  }
}
