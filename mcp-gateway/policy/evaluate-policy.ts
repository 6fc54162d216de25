import type { PolicyMode } from '../config.ts';
import type { PolicyHint, ToolScope } from '../tools/tool-spec.ts';
import { findInjectionMarkers } from './injection-markers.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type PolicyReason =
  'admin-scope' | 'destructive-not-opted-in' | 'rate-limit' | 'injection-marker' | 'ok';

export interface PolicyInput {
  mode: PolicyMode;
  user: { id: string; isAdmin: boolean; destructiveOptIn: boolean };
  tool: { name: string; scope: ToolScope; policyHint: PolicyHint };
  args: unknown;
  rateLimiter: RateLimiter;
}

export interface PolicyDecision {
  /** What happens: the call runs (`allow`) or is refused (`deny`). */
  decision: 'allow' | 'deny';
  /** Why; `ok` when nothing matched. A denial in log-only mode is an `allow` with the deny reason. */
  reason: PolicyReason;
  /** True when a rule matched that log-only mode let through. */
  wouldDeny: boolean;
  /** Prompt-injection markers found in the arguments (flagged, never blocking). */
  flags: string[];
  /** A sentence a model can act on, for denials and would-be denials. */
  message?: string;
}

/**
 * The policy gate, run before every tool handler.
 * Admin scope is authorisation, not policy: it is refused in every mode, including `off`.
 * Destructive opt-in and the rate limit are enforced in `enforce`, counted-and-allowed in `log-only`,
 * skipped in `off` (the rate limit is the only rule that may wait on Postgres: GATEWAY_LIMITS_STORE).
 * Injection markers are flagged in every mode but `off`.
 */
export async function evaluatePolicy(input: PolicyInput): Promise<PolicyDecision> {
  const { mode, user, tool } = input;
  if (tool.scope === 'admin' && !user.isAdmin) {
    return {
      decision: 'deny',
      reason: 'admin-scope',
      wouldDeny: true,
      flags: [],
      message: `tool ${tool.name} requires an admin account`,
    };
  }
  if (mode === 'off') return { decision: 'allow', reason: 'ok', wouldDeny: false, flags: [] };

  const flags = findInjectionMarkers(input.args);
  const deny = (reason: PolicyReason, message: string): PolicyDecision => ({
    decision: mode === 'enforce' ? 'deny' : 'allow',
    reason,
    wouldDeny: true,
    flags,
    message,
  });

  if (tool.policyHint === 'destructive' && !user.destructiveOptIn) {
    return deny(
      'destructive-not-opted-in',
      `tool ${tool.name} is destructive and this account has not opted into destructive tools; ` +
        'use a non-destructive tool instead',
    );
  }
  const rate = await input.rateLimiter.tryAcquire(`${user.id}:${tool.name}`);
  if (!rate.allowed) {
    return deny(
      'rate-limit',
      `rate limit for ${tool.name} exceeded (${input.rateLimiter.limit} calls per ${input.rateLimiter.windowMs / 1000}s); ` +
        `retry in ${Math.ceil(rate.retryAfterMs / 1000)}s`,
    );
  }
  return { decision: 'allow', reason: flags.length ? 'injection-marker' : 'ok', wouldDeny: false, flags };
}
