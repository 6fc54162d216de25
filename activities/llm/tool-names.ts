import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ClaudeTool } from './types.ts';

const CLAUDE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * MCP tool names are a superset of Claude's; this maps both ways. Valid names map to themselves;
 * others are sanitised and de-duplicated with a numeric suffix.
 */
export class ToolNameMap {
  private readonly toClaude = new Map<string, string>();
  private readonly toMcp = new Map<string, string>();

  constructor(mcpNames: readonly string[]) {
    for (const name of mcpNames) {
      let candidate = CLAUDE_NAME.test(name)
        ? name
        : name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 60) || 'tool';
      for (let i = 2; this.toMcp.has(candidate); i++) candidate = `${candidate.slice(0, 60)}_${i}`;
      this.toClaude.set(name, candidate);
      this.toMcp.set(candidate, name);
    }
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
