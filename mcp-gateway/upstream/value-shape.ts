/** How deep and how large a value from an upstream may be before the gateway walks, compiles or serialises it. */
export interface ShapeLimits {
  maxDepth: number;
  maxNodes: number;
}

/** A tool's listing (its schemas, annotations, _meta): compiled into validators and sent to every client. */
export const TOOL_LIMITS: ShapeLimits = { maxDepth: 64, maxNodes: 20_000 };

/** A tool result: serialised for the client and for idempotent replays (JSON.stringify recurses). */
export const RESULT_LIMITS: ShapeLimits = { maxDepth: 128, maxNodes: Infinity };

/** What is wrong with `value`'s shape, or undefined. Iterative, so any depth is measured safely. */
export function shapeProblem(value: unknown, limits: ShapeLimits): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) return `has more than ${limits.maxNodes} values`;
    if (!v || typeof v !== 'object') continue;
    if (depth >= limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return undefined;
}
