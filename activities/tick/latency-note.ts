// A person notices when an app makes them wait; a model reading a tool result does not, unless it
// is told. Slow answers carry their latency in the result the persona reads (and rates on later).

/** About where people start to notice the wait on an action that should feel instant. */
export const NOTICEABLE_LATENCY_MS = 2_000;

/** The tool result text the persona reads: as is when quick, with how long it took when slow. */
export function withLatencyNote(text: string, latencyMs: number): string {
  if (latencyMs < NOTICEABLE_LATENCY_MS) return text;
  return `${text}\n[this took ${(latencyMs / 1000).toFixed(1)} s to answer]`;
}
