import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics. One registry per gateway instance (not prom-client's global),
 * so several gateways in one test process do not collide. Labels are bounded sets (tool names,
 * outcomes, reasons): never user ids or free text.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  return {
    registry,
    toolCalls: new Counter({
      name: 'gateway_tool_calls_total',
      help: 'Tool invocations by tool and outcome (ok | error), with the error class for errors',
      labelNames: ['tool', 'outcome', 'error_class'] as const,
      registers: [registry],
    }),
    toolDuration: new Histogram({
      name: 'gateway_tool_duration_seconds',
      help: 'Tool call duration including policy, idempotency and the database transaction',
      labelNames: ['tool'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    policyDecisions: new Counter({
      name: 'gateway_policy_decisions_total',
      help: 'Policy gate decisions by decision (allow | deny | would-deny), reason and POLICY_MODE',
      labelNames: ['decision', 'reason', 'mode'] as const,
      registers: [registry],
    }),
    policyFlags: new Counter({
      name: 'gateway_policy_flags_total',
      help: 'Prompt-injection markers flagged in tool arguments (never blocking)',
      labelNames: ['marker', 'tool'] as const,
      registers: [registry],
    }),
    idempotentReplays: new Counter({
      name: 'gateway_idempotent_replays_total',
      help: 'Tool calls answered from a stored result because their idempotency key was seen before',
      labelNames: ['tool'] as const,
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'gateway_upstream_calls_total',
      help: 'Calls of federated product tools by product, exposed tool, outcome and error class',
      labelNames: ['product', 'tool', 'outcome', 'error_class'] as const,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_call_duration_seconds',
      help: 'Duration of federated tool calls (policy, validation, idempotency and the upstream round trip)',
      labelNames: ['product', 'tool'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    faultsInjected: new Counter({
      name: 'gateway_faults_injected_total',
      help: 'Faults injected by GATEWAY_FAULTS, by tool and kind (error | latency)',
      labelNames: ['tool', 'kind'] as const,
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'gateway_auth_failures_total',
      help: 'Requests refused with 401',
      registers: [registry],
    }),
    logins: new Counter({
      name: 'gateway_logins_total',
      help: 'POST /auth/login by outcome (ok, invalid, throttled, busy)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    passwordChecks: new Counter({
      name: 'gateway_password_checks_total',
      help: 'Password KDF runs at login: real (a known user) or dummy (unknown email, same cost)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    sessions: new Counter({
      name: 'gateway_sessions_opened_total',
      help: 'MCP sessions opened',
      registers: [registry],
    }),
    sessionsRestored: new Counter({
      name: 'gateway_sessions_restored_total',
      help: 'MCP sessions opened on another instance (or before a restart) and continued here from Postgres',
      registers: [registry],
    }),
    sessionCap: new Counter({
      name: 'gateway_session_cap_total',
      help: 'New MCP sessions of a user at GATEWAY_MAX_SESSIONS_PER_USER: evicted (an idle one closed) or refused (429)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
