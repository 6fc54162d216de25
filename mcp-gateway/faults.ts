// Seeded faults (GATEWAY_FAULTS): the gateway answers chosen tools — built-in or upstream — with a
// product-class failure, extra latency, or both; or — a silent bug no error rate can see — runs a
// built-in tool as if some of its arguments had not been sent (`dropFields`) and answers success. For drills ("does our alerting notice?") and for
// proving the verdicts' signal (`npm run bench:signal`). Off unless set; refused in production
// unless GATEWAY_FAULTS_ALLOW_PRODUCTION=1.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { GatewayMetrics } from './metrics.ts';
import { errorResult, productFailureMessage } from './mcp/tool-result.ts';

const faultSchema = z
  .object({
    errorRate: z.number().min(0).max(1).default(0).describe('share of calls answered with a product failure'),
    latencyMs: z.number().int().min(0).max(600_000).default(0).describe('extra latency added to every call'),
    dropFields: z
      .array(z.string().min(1))
      .max(50)
      .default([])
      .describe('arguments the product silently ignores (the call still succeeds)'),
  })
  .strict();

export type ToolFault = z.infer<typeof faultSchema>;
export type GatewayFaults = Record<string, ToolFault>;

const faultsSchema = z.record(z.string().min(1, 'tool names must not be empty'), faultSchema);

/**
 * Parses GATEWAY_FAULTS (`{"todo_complete":{"errorRate":1}}`). Problems come back as one line each,
 * naming the tool and field, for the config error that names the variable.
 */
export function parseFaults(raw: string): { faults?: GatewayFaults; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { problems: [`not JSON (${(err as Error).message})`] };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    return {
      problems: [
        'expected a JSON object: tool name → { "errorRate": 0..1, "latencyMs": n, "dropFields": [names] }',
      ],
    };
  const parsed = faultsSchema.safeParse(json);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
    };
  return { faults: parsed.data, problems: [] };
}

export interface FaultInjector {
  readonly faults: GatewayFaults;
  /** Applies the tool's fault: waits its latency, then returns the failure to answer with, if any. */
  inject(tool: string, metrics: GatewayMetrics): Promise<CallToolResult | undefined>;
  /** The arguments as the faulty product reads them: without the tool's `dropFields`. */
  strip(tool: string, args: unknown, metrics: GatewayMetrics): unknown;
}

/** `random` is injectable so tests can make a 30 % error rate exact. */
export function createFaultInjector(
  faults: GatewayFaults,
  random: () => number = Math.random,
): FaultInjector {
  return {
    faults,
    async inject(tool, metrics) {
      const f = faults[tool];
      if (!f) return undefined;
      if (f.latencyMs > 0) {
        metrics.faultsInjected.inc({ tool, kind: 'latency' });
        await sleep(f.latencyMs);
      }
      if (f.errorRate > 0 && random() < f.errorRate) {
        metrics.faultsInjected.inc({ tool, kind: 'error' });
        return errorResult('product', 'INJECTED_FAULT', productFailureMessage(tool, 'injected fault'), {
          injectedFault: true,
        });
      }
      return undefined;
    },
    strip(tool, args, metrics) {
      const drop = faults[tool]?.dropFields ?? [];
      if (!drop.length || !args || typeof args !== 'object' || Array.isArray(args)) return args;
      if (!drop.some((f) => f in args)) return args;
      metrics.faultsInjected.inc({ tool, kind: 'drop' });
      return Object.fromEntries(Object.entries(args).filter(([k]) => !drop.includes(k)));
    },
  };
}
