// The load generator shared by every scenario of bench/gateway-latency.ts, so the bare server and the
// gateway are driven by exactly the same client code.
//
// Closed loop: `concurrency` SDK Clients, each with its own Streamable HTTP session (its own
// initialize), each calling one tool back to back. A warm-up phase (not recorded: JIT, connection
// pools, caches) is followed by a measured phase that ends at `durationMs` or after `maxCalls` calls,
// whichever comes first. Latency is taken around `client.callTool()` with performance.now(), i.e. what
// a caller sees: request serialisation, HTTP round trip, server work, response parsing and validation.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { percentileOfSorted } from '../../test/support/stats.ts';

export interface LoadTarget {
  mcpUrl: string;
  /** Bearer tokens; client i uses tokens[i % length]. Empty: no Authorization header. */
  tokens: readonly string[];
  tool: string;
  /** Arguments of call number `seq` (0-based, per client) of client `client`. */
  args(client: number, seq: number): Record<string, unknown>;
  /** Optional `params._meta` of a call (e.g. an idempotency key). */
  meta?(client: number, seq: number): Record<string, unknown>;
}

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Hard cap on measured calls, so a very fast target cannot run away with memory. */
  maxCalls: number;
  /** Per-call timeout. */
  callTimeoutMs?: number;
  /** Called right before and right after the measured phase (e.g. to sample server CPU). */
  onMeasureStart?(): void | Promise<void>;
  onMeasureEnd?(): void | Promise<void>;
}

export interface LoadResult {
  calls: number;
  /** Calls that threw or came back with isError (they are not in the latency figures). */
  errors: number;
  firstError?: string;
  elapsedMs: number;
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU time of this (client) process per measured call, in microseconds. */
  clientCpuUsPerCall: number;
}

async function connect(target: LoadTarget, i: number): Promise<Client> {
  const token = target.tokens.length ? target.tokens[i % target.tokens.length] : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(target.mcpUrl), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : undefined,
  });
  const client = new Client({ name: `bench-load-${i}`, version: '0.0.0' });
  await client.connect(transport);
  return client;
}

async function disconnect(client: Client): Promise<void> {
  const transport = client.transport as StreamableHTTPClientTransport | undefined;
  // DELETE the session so servers do not accumulate idle sessions across scenarios.
  await transport?.terminateSession().catch(() => {});
  await client.close().catch(() => {});
}

export async function runLoad(target: LoadTarget, opts: LoadOptions): Promise<LoadResult> {
  const timeout = opts.callTimeoutMs ?? 10_000;
  const clients: Client[] = [];
  try {
    for (let i = 0; i < opts.concurrency; i++) clients.push(await connect(target, i));

    const latencies = new Float64Array(opts.maxCalls);
    let recorded = 0;
    let started = 0;
    let errors = 0;
    let firstError: string | undefined;
    const seqs = new Array<number>(opts.concurrency).fill(0);

    const loop = async (i: number, until: number, measure: boolean): Promise<void> => {
      const client = clients[i]!;
      while (performance.now() < until && (!measure || started < opts.maxCalls)) {
        if (measure) started++;
        const seq = seqs[i]!++;
        const meta = target.meta?.(i, seq);
        const t0 = performance.now();
        let failure: string | undefined;
        try {
          const result = await client.callTool(
            { name: target.tool, arguments: target.args(i, seq), ...(meta ? { _meta: meta } : {}) },
            undefined,
            { timeout },
          );
          if (result.isError) {
            const first = (result.content as Array<{ type: string; text?: string }>)[0];
            failure = `isError: ${first?.text ?? JSON.stringify(result)}`;
          }
        } catch (err) {
          failure = err instanceof Error ? err.message : String(err);
        }
        const dt = performance.now() - t0;
        if (!measure) continue;
        if (failure) {
          errors++;
          firstError ??= failure;
        } else {
          latencies[recorded++] = dt;
        }
      }
    };

    const warmEnd = performance.now() + opts.warmupMs;
    await Promise.all(clients.map((_, i) => loop(i, warmEnd, false)));

    await opts.onMeasureStart?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(clients.map((_, i) => loop(i, t0 + opts.durationMs, true)));
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await opts.onMeasureEnd?.();

    const sorted = latencies.slice(0, recorded).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const calls = recorded + errors;
    return {
      calls,
      errors,
      ...(firstError ? { firstError } : {}),
      elapsedMs,
      // Successful calls per second; errors do not count as throughput.
      throughput: recorded / (elapsedMs / 1000),
      latencyMs: {
        p50: percentileOfSorted(sorted, 50),
        p90: percentileOfSorted(sorted, 90),
        p99: percentileOfSorted(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
        mean: recorded ? sum / recorded : Number.NaN,
      },
      clientCpuUsPerCall: calls ? (cpu.user + cpu.system) / calls : Number.NaN,
    };
  } finally {
    await Promise.all(clients.map(disconnect));
  }
}
