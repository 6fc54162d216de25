import type { ErrorObject } from 'ajv';
import type { Validator } from './schema-compiler.ts';
import type { ExposedTool } from './tool-mapping.ts';

/** `/entities/0/name` → `entities[0].name`. */
function fieldPath(e: ErrorObject, root: string): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties')
    parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || root;
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  if (e.keyword === 'enum')
    return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

/**
 * Checks arguments against the upstream tool's input schema. Returns undefined when valid, else a
 * message naming the field (never the value: arguments may hold what the product keeps secret).
 * A schema ajv cannot compile is not the persona's fault: such arguments go through unchecked.
 */
export function validateUpstreamInput(tool: ExposedTool, args: unknown): string | undefined {
  return firstProblem(tool.input, args, '(arguments)', 'does not match the input schema');
}

/** Undefined when `value` passes (or the schema could not be compiled), else its first problem. */
function firstProblem(v: Validator, value: unknown, root: string, fallback: string): string | undefined {
  if (typeof v === 'string' || v(value)) return undefined;
  const first = v.errors?.[0];
  return first ? `${fieldPath(first, root)}: ${describe(first)}` : fallback;
}

/**
 * Checks a successful result's structured content against the tool's output schema, as the SDK's
 * Client.callTool did (the gateway calls past it, see direct-calls.ts): a tool with an output schema
 * must return structured content that matches it. Undefined when fine, else what is wrong.
 */
export function validateUpstreamOutput(tool: ExposedTool, structured: unknown): string | undefined {
  if (!tool.output) return undefined;
  if (structured === undefined) return 'no structured content';
  return firstProblem(tool.output, structured, '(structured content)', 'structured content does not match');
}
