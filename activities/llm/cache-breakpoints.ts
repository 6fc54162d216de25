// Where a request asks the Messages API to cache its prefix. The API allows four breakpoints; the
// prefix order is tools → system → messages. We spend them so that each call reads everything the
// previous call of the same tick wrote:
//   1. the last tool: the tool list is the same for every persona of a product, so it is shared
//      across personas with different system prompts;
//   2. the system prompt: per persona, shared by every call of its ticks;
//   3. the previous user turn: where the previous call put its moving breakpoint, so this call
//      reads it exactly (no reliance on the API's 20-block lookback);
//   4. the newest user turn: written now, read by the next round and by the rating turn.
// The rating turn sends the same tools and tool_choice as the main turn (a tool_choice change
// invalidates cached message blocks), so it reads the conversation from the cache too.
// The layout before this one ('tools-and-system': only 1 and 2) stays selectable so that the
// benchmark (bench/prompt-cost.ts) and test/tick/prompt-cache.test.ts can measure what 3 and 4 buy.
import type Anthropic from '@anthropic-ai/sdk';
import type { ClaudeTool, MessageParam } from './types.ts';

type Block = Anthropic.Messages.ContentBlockParam;
const EPHEMERAL = { type: 'ephemeral' as const };

export function cachedTools(tools: readonly ClaudeTool[] | undefined): ClaudeTool[] | undefined {
  return tools?.map((t, i, all) => (i === all.length - 1 ? { ...t, cache_control: EPHEMERAL } : t));
}

export function cachedSystem(system: string): Anthropic.Messages.TextBlockParam[] {
  return [{ type: 'text', text: system, cache_control: EPHEMERAL }];
}

/** Where the breakpoints go: on the conversation too (the default), or on tools and system only. */
export type CacheLayout = 'conversation' | 'tools-and-system';

/**
 * The messages with a breakpoint on the last block of each of the last two user turns ('conversation'),
 * or as they are ('tools-and-system').
 */
export function cachedMessages(
  messages: readonly MessageParam[],
  layout: CacheLayout = 'conversation',
): MessageParam[] {
  if (layout === 'tools-and-system') return [...messages];
  const userTurns = messages.flatMap((m, i) => (m.role === 'user' ? [i] : [])).slice(-2);
  return messages.map((m, i) => (userTurns.includes(i) ? withBreakpoint(m) : m));
}

function withBreakpoint(m: MessageParam): MessageParam {
  const blocks: Block[] =
    typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : [...(m.content as Block[])];
  const last = blocks.at(-1);
  // Empty text blocks cannot carry a breakpoint (nor be sent at all); such a turn is left as it is.
  if (!last || (last.type === 'text' && !last.text)) return m;
  blocks[blocks.length - 1] = { ...last, cache_control: EPHEMERAL } as Block;
  return { ...m, content: blocks } as MessageParam;
}
