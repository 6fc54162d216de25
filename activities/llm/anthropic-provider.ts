import Anthropic from '@anthropic-ai/sdk';
import { ApplicationFailure } from '@temporalio/common';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';
import { cachedMessages, cachedSystem, cachedTools, type CacheLayout } from './cache-breakpoints.ts';
import type { LlmProvider, LlmRequest, LlmResponse } from './types.ts';

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const raw = headers?.get('retry-after-ms') ?? undefined;
  if (raw && Number.isFinite(Number(raw))) return Number(raw);
  const secs = headers?.get('retry-after');
  if (!secs) return undefined;
  if (Number.isFinite(Number(secs))) return Number(secs) * 1000;
  const date = Date.parse(secs);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Maps SDK errors onto Temporal's retry semantics. SDK retries are off; Temporal retries
 * 429 / 5xx / 529 / connection errors (honouring retry-after), and other 4xx fail fast.
 * Messages come from the API's error body: they never contain the API key.
 */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof Anthropic.APIConnectionError) {
    return ApplicationFailure.create({
      type: TICK_FAILURES.llmRetryable.type,
      message: `model endpoint unreachable: ${err.message}`,
    });
  }
  if (err instanceof Anthropic.APIError) {
    const status = err.status ?? 0;
    const message = `Messages API ${status}: ${err.message}`;
    if (status === 429 || status === 529 || status >= 500 || status === 408) {
      const delay = retryAfterMs(err.headers);
      return ApplicationFailure.create({
        type: TICK_FAILURES.llmRetryable.type,
        message,
        details: [{ status }],
        ...(delay !== undefined && { nextRetryDelay: Math.min(delay, 120_000) }),
      });
    }
    return ApplicationFailure.create({
      type: status === 401 || status === 403 ? TICK_FAILURES.llmAuth.type : TICK_FAILURES.llmBadRequest.type,
      message,
      nonRetryable: true,
      details: [{ status }],
    });
  }
  return ApplicationFailure.create({
    type: TICK_FAILURES.llmRetryable.type,
    message: `model call failed: ${(err as Error).message}`,
  });
}

/**
 * Real Claude through @anthropic-ai/sdk, with prompt caching on the tools, the system prompt and the
 * conversation so far (cache-breakpoints.ts).
 */
export class AnthropicProvider implements LlmProvider {
  readonly kind = 'anthropic' as const;
  private readonly client: Anthropic;
  private readonly cacheLayout: CacheLayout;

  constructor(
    readonly model: string,
    opts: {
      apiKey: string;
      baseURL?: string;
      timeoutMs?: number;
      /** Only for measuring the difference (bench/prompt-cost.ts); production uses the default. */
      cacheLayout?: CacheLayout;
    },
  ) {
    this.cacheLayout = opts.cacheLayout ?? 'conversation';
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      baseURL: opts.baseURL,
      // Temporal owns retries: one attempt per activity attempt, so history shows every try.
      maxRetries: 0,
      timeout: opts.timeoutMs ?? 120_000,
    });
  }

  async createMessage(req: LlmRequest): Promise<LlmResponse> {
    const tools = cachedTools(req.tools);
    let message: Anthropic.Messages.Message;
    try {
      message = await this.client.messages.create({
        model: this.model,
        max_tokens: req.maxTokens,
        system: cachedSystem(req.system),
        messages: cachedMessages(req.messages, this.cacheLayout),
        ...(tools?.length ? { tools } : {}),
        ...(tools?.length && req.toolChoice === 'none' && { tool_choice: { type: 'none' as const } }),
        ...(req.outputSchema && {
          output_config: { format: { type: 'json_schema' as const, schema: req.outputSchema } },
        }),
      });
    } catch (err) {
      throw toApplicationFailure(err);
    }
    return {
      content: message.content,
      stopReason: message.stop_reason,
      usage: {
        input: message.usage.input_tokens,
        output: message.usage.output_tokens,
        cacheWrite: message.usage.cache_creation_input_tokens ?? 0,
        cacheRead: message.usage.cache_read_input_tokens ?? 0,
      },
    };
  }
}
