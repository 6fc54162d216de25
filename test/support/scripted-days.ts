// Plays the offline persona's main turn against any product without the tick stack: its tool listing
// (as the gateway lists it, `<product>__<tool>` with `_meta.module`), and a function that answers a
// call — a real MCP server over stdio, or a scripted answer. The conversation is built as the worker
// builds it (tool_use ids matched to tool_result blocks, failures flagged is_error).
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ScriptedProvider } from '../../activities/llm/scripted-provider.ts';
import { ToolNameMap, toClaudeTools, toolHints, toolModules } from '../../activities/llm/tool-names.ts';
import type { LlmRequest, MessageParam } from '../../activities/llm/types.ts';

export interface Answer {
  isError: boolean;
  text: string;
}

export interface PlayedCall {
  name: string;
  input: Record<string, unknown>;
  answer: Answer;
}

/** A product's own tool listing as the gateway exposes it: prefixed names, the product as module. */
export function asProductTools(product: string, tools: readonly Tool[]): Tool[] {
  return tools.map((t) => ({ ...t, name: `${product}__${t.name}`, _meta: { ...t._meta, module: product } }));
}

/** One day: the persona's calls in order, each with the answer it got. */
export async function playDay(opts: {
  tools: Tool[];
  answer: (name: string, input: Record<string, unknown>) => Promise<Answer>;
  moduleMix: Record<string, number>;
  seed: string;
  tick: string;
  archetype?: string;
  clumsiness?: number;
}): Promise<PlayedCall[]> {
  const names = new ToolNameMap(opts.tools.map((t) => t.name));
  const persona: LlmRequest['persona'] = {
    personaId: 'p-1',
    archetype: opts.archetype ?? 'researcher',
    moduleMix: opts.moduleMix,
    toolModules: toolModules(opts.tools, names),
    toolHints: toolHints(opts.tools, names),
  };
  const provider = new ScriptedProvider({
    seed: opts.seed,
    today: () => '2026-03-14',
    ...(opts.clumsiness !== undefined && { clumsiness: opts.clumsiness }),
  });
  const claudeTools = toClaudeTools(opts.tools, names);
  const messages: MessageParam[] = [{ role: 'user', content: 'Live your day.' }];
  const played: PlayedCall[] = [];
  for (let round = 0; round < 12; round++) {
    const res = await provider.createMessage({
      system: 'You are a persona.',
      messages: structuredClone(messages),
      tools: claudeTools,
      maxTokens: 1024,
      purpose: 'main',
      persona,
      seed: opts.tick,
    });
    if (res.stopReason !== 'tool_use') return played;
    messages.push({ role: 'assistant', content: res.content as MessageParam['content'] });
    const results = [];
    for (const use of res.content) {
      if (use.type !== 'tool_use') continue;
      const input = use.input as Record<string, unknown>;
      const answer = await opts.answer(names.mcpName(use.name) ?? use.name, input);
      played.push({ name: use.name, input, answer });
      results.push({
        type: 'tool_result' as const,
        tool_use_id: use.id,
        content: answer.isError ? `[error: product] ${answer.text}` : answer.text,
        ...(answer.isError && { is_error: true }),
      });
    }
    messages.push({ role: 'user', content: results });
  }
  throw new Error('the scripted persona did not end its day within 12 rounds');
}
