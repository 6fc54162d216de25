import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { moduleOf, type ProductConfig } from '../../lib/products/products-config.ts';
import type { PolicyHint } from '../tools/tool-spec.ts';
import { SchemaCompiler, type Validator } from './schema-compiler.ts';
import { shapeProblem, TOOL_LIMITS } from './value-shape.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

/** Claude's tool-name rule, which the exposed names must meet (MCP allows more). */
const EXPOSED_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const PRODUCT_SEPARATOR = '__';

/** An upstream tool as the gateway exposes it. */
export interface ExposedTool {
  product: string;
  upstreamName: string;
  /** `<product>__<tool>` (or the product's rename of the tool). */
  name: string;
  module: string;
  policyHint: PolicyHint;
  /** The listing the gateway's clients see. */
  listing: Tool;
  /** The upstream's input schema, compiled. */
  input: Validator;
  /** Its output schema, compiled, when it has one. */
  output?: Validator;
}

export interface MappingOptions {
  /** Who already exposes `name` (another product, the built-in product), if anyone. */
  takenBy?(name: string): string | undefined;
  /** A tool left out, or a pattern that is not checked: said once per listing, naming product and tool. */
  warn?(message: string): void;
}

/** Thrown when an upstream tool cannot be given a valid exposed name; says which and how to fix it. */
export class ToolMappingError extends PersonaRunnerError {
  override readonly code = 'TOOL_MAPPING';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Annotations feed the policy gate. Only an explicit `destructiveHint: true` asks for the destructive
 * opt-in: MCP's default for a missing hint is "may be destructive", and treating every unannotated
 * tool of every product as destructive would deny most third-party tools under `enforce`.
 */
export function policyHintOf(tool: Tool): PolicyHint {
  if (tool.annotations?.destructiveHint === true && tool.annotations.readOnlyHint !== true)
    return 'destructive';
  if (tool.annotations?.readOnlyHint === true) return 'read';
  return 'write';
}

/**
 * Maps a product's tool listing: include/exclude, rename, `<product>__<tool>`, module, policy, and
 * the compiled schemas. A name that cannot be exposed, or that another product (or the built-in
 * product) exposes already, is a ToolMappingError naming both; a tool whose listing is too deep or
 * too large to compile and serialise safely is left out with a warning.
 */
export function mapProductTools(
  product: ProductConfig,
  tools: readonly Tool[],
  opts: MappingOptions = {},
): ExposedTool[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const out: ExposedTool[] = [];
  const compiler = new SchemaCompiler();
  for (const tool of tools) {
    if (product.include && !product.include.includes(tool.name)) continue;
    if (product.exclude.includes(tool.name)) continue;
    const shape = shapeProblem(tool, TOOL_LIMITS);
    if (shape) {
      opts.warn?.(`product ${product.name}: tool "${tool.name}" is not exposed: its listing ${shape}`);
      continue;
    }
    const name = `${product.name}${PRODUCT_SEPARATOR}${product.rename[tool.name] ?? tool.name}`;
    if (!EXPOSED_NAME.test(name)) {
      problems.push(
        `product ${product.name}: tool "${tool.name}" cannot be exposed as "${name}" (names must be 1–64 of [a-zA-Z0-9_-]); ` +
          `add "rename": {"${tool.name}": "<short_name>"} or "exclude": ["${tool.name}"] to the product`,
      );
      continue;
    }
    const clash = seen.get(name);
    if (clash) {
      problems.push(
        `product ${product.name}: tools "${clash}" and "${tool.name}" both map to "${name}"; rename one`,
      );
      continue;
    }
    const owner = opts.takenBy?.(name);
    if (owner) {
      problems.push(
        `product ${product.name}: tool "${tool.name}" would be exposed as "${name}", which ${owner} exposes already; ` +
          `add "rename": {"${tool.name}": "<other_name>"} or "exclude": ["${tool.name}"] to product ${product.name}`,
      );
      continue;
    }
    seen.set(name, tool.name);
    const compile = (schema: object) => {
      const { validator, dropped } = compiler.compile(schema);
      for (const d of dropped)
        opts.warn?.(`product ${product.name}: tool "${tool.name}": ${d} is not checked`);
      return validator;
    };
    const module = moduleOf(product, tool.name);
    const policyHint = policyHintOf(tool);
    out.push({
      product: product.name,
      upstreamName: tool.name,
      name,
      module,
      policyHint,
      listing: {
        ...tool,
        name,
        // encryptedFields: none that the gateway knows of; the worker reads this key for every tool.
        _meta: { module, product: product.name, upstreamTool: tool.name, policyHint, encryptedFields: {} },
      },
      input: compile(tool.inputSchema),
      ...(tool.outputSchema && { output: compile(tool.outputSchema) }),
    });
  }
  if (problems.length) throw new ToolMappingError(problems);
  return out;
}
