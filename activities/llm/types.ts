import type Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from '../../schema/vocabulary.ts';

export type MessageParam = Anthropic.Messages.MessageParam;
export type ContentBlock = Anthropic.Messages.ContentBlock;
export type ClaudeTool = Anthropic.Messages.Tool;
export type StopReason = Anthropic.Messages.StopReason;

export type { TokenUsage };

/** What a tool's listing says it does (its `_meta.policyHint`, else its MCP annotations). */
export type ToolHint = 'read' | 'write' | 'destructive';

/** What the persona is, for providers that simulate one (the scripted provider). */
export interface PersonaContext {
  personaId: string;
  archetype: string;
  moduleMix: Record<string, number>;
  /** Maps a Claude tool name back to its product module id. */
  toolModules: Record<string, string>;
  /**
   * What each tool (Claude name) says it does, for providers that plan from it (the scripted provider
   * reads before it writes); a tool without an entry said nothing.
   */
  toolHints?: Record<string, ToolHint>;
  /**
   * The tick's goals, for providers that cannot read their `ask` (the scripted provider): each goal's
   * scripted calls (Claude tool names, placeholders expanded) and whether the persona reports it itself.
   */
  goals?: Array<{
    id: string;
    selfReport: boolean;
    calls: Array<{ name: string; input: Record<string, unknown> }>;
  }>;
}

export interface LlmRequest {
  system: string;
  messages: MessageParam[];
  /** The product's tools; the rating turn sends them too, so it stays on the cached prefix. */
  tools?: ClaudeTool[];
  /**
   * `none` forbids tool use (a changed tool_choice invalidates cached message blocks, so the rating
   * turn sends it only when the model used a tool where it was asked to rate). Default: auto.
   */
  toolChoice?: 'auto' | 'none';
  maxTokens: number;
  /** JSON schema the answer must follow (structured output); used by the rating turn. */
  outputSchema?: Record<string, unknown>;
  purpose: 'main' | 'rating';
  persona: PersonaContext;
  /** Deterministic seed for the scripted provider (tick id + round). */
  seed: string;
}

export interface LlmResponse {
  content: ContentBlock[];
  stopReason: StopReason | null;
  usage: TokenUsage;
}

/** One interface for real Claude and the offline simulator. */
export interface LlmProvider {
  readonly kind: 'anthropic' | 'scripted';
  readonly model: string;
  createMessage(req: LlmRequest): Promise<LlmResponse>;
}
