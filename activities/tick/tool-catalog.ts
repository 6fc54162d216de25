import type { ActivityDeps } from '../deps.ts';
import { ToolNameMap, toClaudeTools, toolHints, toolModules } from '../llm/tool-names.ts';

/** The gateway's tools as the model sees them, with the name map, the module of each tool and what it says it does. */
export async function toolCatalog(deps: ActivityDeps, personaId: string) {
  const tools = await deps.sessions.listTools(personaId);
  const names = new ToolNameMap(tools.map((t) => t.name));
  return {
    tools,
    names,
    claudeTools: toClaudeTools(tools, names),
    modules: toolModules(tools, names),
    hints: toolHints(tools, names),
  };
}
