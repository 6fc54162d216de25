// The Temporal SDK's own metrics (Prometheus text): histogram sums and counts, counters, by series.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort } from '../../lib/net/free-port.ts';

type SdkMetrics = Map<string, number>;
export type SdkDelta = Record<string, { count: number; meanMs?: number }>;

/**
 * Installs the process-wide SDK runtime with a Prometheus endpoint (before the first native
 * connection: the runtime cannot be changed later) and returns a scraper for it.
 */
export async function installRuntimeWithMetrics(): Promise<() => Promise<SdkMetrics>> {
  const port = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
  });
  return () => scrapeSdkMetrics(`http://127.0.0.1:${port}/metrics`);
}

async function scrapeSdkMetrics(url: string): Promise<SdkMetrics> {
  const out: SdkMetrics = new Map();
  const text = await (await fetch(url)).text();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const [, name, , labels = '', value] = m;
    if (name!.endsWith('_bucket')) continue;
    const op = /operation="([^"]+)"/.exec(labels)?.[1] ?? /activity_type="([^"]+)"/.exec(labels)?.[1];
    const key = op ? `${name}{${op}}` : name!;
    out.set(key, (out.get(key) ?? 0) + Number(value));
  }
  return out;
}

/** Mean (ms) and count of every SDK histogram between two scrapes, plus counter deltas. */
export function sdkDelta(before: SdkMetrics, after: SdkMetrics): SdkDelta {
  const out: SdkDelta = {};
  for (const [key, v] of after) {
    if (!key.includes('_count')) continue;
    const base = key.replace('_count', '');
    const count = v - (before.get(key) ?? 0);
    if (count <= 0) continue;
    const s =
      (after.get(key.replace('_count', '_sum')) ?? 0) - (before.get(key.replace('_count', '_sum')) ?? 0);
    out[base] = { count, meanMs: +(s / count).toFixed(2) };
  }
  for (const [key, v] of after) {
    if (key.includes('_count') || key.includes('_sum')) continue;
    const d = v - (before.get(key) ?? 0);
    if (d > 0 && /cache|total|poll/.test(key)) out[key] = { count: d };
  }
  return out;
}
