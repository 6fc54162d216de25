import { PersonaRunnerError } from '../../lib/errors.ts';

/**
 * Phrases typical of prompt-injection attempts in free text a tool will store (and a model may later
 * read back). They are flagged, never blocked: a journal entry may legitimately quote one.
 */
const MARKERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  [
    'ignore-instructions',
    /\b(ignore|disregard|forget)\b.{0,30}\b(previous|prior|above|all|earlier)\b.{0,20}\b(instructions?|prompts?|rules)\b/i,
  ],
  ['role-override', /\byou are now\b|\bact as (an? )?(admin|administrator|root|system)\b/i],
  ['system-prompt', /\b(reveal|print|show|leak)\b.{0,30}\bsystem prompt\b/i],
  ['chat-template', /<\|im_start\|>|<\|system\|>|\[\/?INST\]|<\/?system>/i],
  ['tool-hijack', /\b(call|invoke|use)\b.{0,20}\btool\b.{0,40}\b(delete|archive|admin)\w*/i],
];

/** Deeper than any tool's schema needs; deep enough that no honest argument is refused. */
export const MAX_ARGUMENT_DEPTH = 64;

/** Thrown when tool arguments nest deeper than MAX_ARGUMENT_DEPTH: the caller's (a `persona`) fault. */
export class ArgumentsTooDeepError extends PersonaRunnerError {
  override readonly code = 'ARGUMENTS_TOO_DEEP';
  constructor(readonly depth: number) {
    super(
      `arguments nest deeper than ${MAX_ARGUMENT_DEPTH} levels of objects and arrays; send flatter input`,
    );
  }
}

/**
 * Names of the markers found in any string inside `value` (objects and arrays). Iterative with an
 * explicit stack, and depth-capped: a 200,000-deep argument must be an error the model can act on,
 * not a stack overflow (a recursive walk threw RangeError and leaked the internal message).
 */
export function findInjectionMarkers(value: unknown): string[] {
  const found = new Set<string>();
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      for (const [name, re] of MARKERS) if (re.test(v)) found.add(name);
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_ARGUMENT_DEPTH) throw new ArgumentsTooDeepError(depth + 1);
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
    }
  }
  return [...found];
}

/** Throws ArgumentsTooDeepError for over-deep input, whatever the policy mode (no scan when `off`). */
export function checkArgumentDepth(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= MAX_ARGUMENT_DEPTH) throw new ArgumentsTooDeepError(depth + 1);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
