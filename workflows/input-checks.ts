// What the workflow contracts share to check a hand-started input (a schedule's, the CLI's or the
// Temporal CLI's): whole numbers within their limits, said the same way everywhere. Pure, bundled.

/** A limit of a workflow input: its default and the range a start may ask for. */
export interface Limit {
  default?: number;
  min: number;
  max: number;
}

/** `name must be a whole number [of unit] from min to max`, or undefined when `n` is one. */
export function rangeProblem(name: string, n: unknown, r: Limit, unit?: string): string | undefined {
  const ok = typeof n === 'number' && Number.isInteger(n) && n >= r.min && n <= r.max;
  return ok
    ? undefined
    : `${name} must be a whole number${unit ? ` of ${unit}` : ''} from ${r.min} to ${r.max}`;
}
