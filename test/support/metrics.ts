/** Reads the gateway's Prometheus text. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

function parseLabels(raw: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const m of raw.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels.set(m[1]!, m[2]!);
  return labels;
}

/**
 * Value of the sample `name` whose labels include all of `labels` (summed over matches); 0 when no
 * sample matches, as a counter that was never incremented is simply absent.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = parseLabels(m[2] ?? '');
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) total += Number(m[3]);
  }
  return total;
}
