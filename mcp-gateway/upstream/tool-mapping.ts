import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { moduleOf, type ProductConfig } from '../../lib/products/products-config.ts';
import type { PolicyHint } from '../tools/tool-spec.ts';

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
}

/** Thrown when an upstream tool cannot be given a valid exposed name; says which and how to fix it. */
export class ToolMappingError extends Error {
  readonly code = 'TOOL_MAPPING';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ToolMappingError';
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

/** Maps a product's tool listing: include/exclude, rename, `<product>__<tool>`, module, policy. */
export function mapProductTools(product: ProductConfig, tools: readonly Tool[]): ExposedTool[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const out: ExposedTool[] = [];
  for (const tool of tools) {
    if (product.include && !product.include.includes(tool.name)) continue;
    if (product.exclude.includes(tool.name)) continue;
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
    seen.set(name, tool.name);
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
    });
  }
  if (problems.length) throw new ToolMappingError(problems);
  return out;
}
