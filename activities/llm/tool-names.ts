import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ClaudeTool, ToolHint } from './types.ts';

const CLAUDE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * MCP tool names are a superset of Claude's; this maps both ways. Valid names map to themselves;
 * others are sanitised and de-duplicated with a numeric suffix (`a.b` → `a_b`, then `a_b_2`, `a_b_3`).
 */
export class ToolNameMap {
  private readonly toClaude = new Map<string, string>();
  private readonly toMcp = new Map<string, string>();

  constructor(mcpNames: readonly string[]) {
    // Valid names first, so a sanitised name listed earlier can never take a valid name's slot.
    for (const name of mcpNames.filter((n) => CLAUDE_NAME.test(n))) this.add(name, name);
    for (const name of mcpNames.filter((n) => !CLAUDE_NAME.test(n))) {
      const base = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 60) || 'tool';
      let candidate = base;
      for (let i = 2; this.toMcp.has(candidate); i++) candidate = `${base}_${i}`;
      this.add(name, candidate);
    }
  }

  private add(mcpName: string, claudeName: string): void {
    this.toClaude.set(mcpName, claudeName);
    this.toMcp.set(claudeName, mcpName);
  }

  /** Whether the tick offers this MCP tool at all. */
  offers(mcpName: string): boolean {
    return this.toClaude.has(mcpName);
  }

  claudeName(mcpName: string): string {
    const n = this.toClaude.get(mcpName);
    if (!n) throw new Error(`unknown MCP tool ${mcpName}`);
    return n;
  }

  /** The MCP name for a name the model used, or undefined when the model invented one. */
  mcpName(claudeName: string): string | undefined {
    return this.toMcp.get(claudeName);
  }
}

/** Converts MCP tool listings into Claude tool definitions. */
export function toClaudeTools(tools: readonly Tool[], names: ToolNameMap): ClaudeTool[] {
  return tools.map((t) => ({
    name: names.claudeName(t.name),
    description: t.description ?? t.title ?? t.name,
    input_schema: t.inputSchema as ClaudeTool['input_schema'],
  }));
}

/** Module id of each tool, from the gateway's listing `_meta.module`. */
export function toolModules(tools: readonly Tool[], names: ToolNameMap): Record<string, string> {
  return Object.fromEntries(
    tools.map((t) => [names.claudeName(t.name), String(t._meta?.module ?? 'unknown')]),
  );
}

/**
 * What each tool says it does: the gateway's `_meta.policyHint`, else the MCP annotations
 * (readOnlyHint, destructiveHint); tools that say nothing are left out.
 */
export function toolHints(tools: readonly Tool[], names: ToolNameMap): Record<string, ToolHint> {
  const hintOf = (t: Tool): ToolHint | undefined => {
    const meta = t._meta?.policyHint;
    if (meta === 'read' || meta === 'write' || meta === 'destructive') return meta;
    if (t.annotations?.readOnlyHint === true) return 'read';
    if (t.annotations?.destructiveHint === true) return 'destructive';
    if (t.annotations?.readOnlyHint === false) return 'write';
    return undefined;
  };
  return Object.fromEntries(
    tools.flatMap((t) => {
      const hint = hintOf(t);
      return hint ? [[names.claudeName(t.name), hint]] : [];
    }),
  );
}
