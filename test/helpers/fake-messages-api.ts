import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import type { PromptCacheEmulator } from './prompt-cache.ts';

/**
 * One scripted answer: a Messages API body (200), or an HTTP error with optional headers. `delayMs`
 * holds the answer for a while; `until` holds it until a test-controlled promise settles (a gate, for
 * tests that must act while a model call is in flight without racing a timer).
 */
export type FakeStep =
  | { message: FakeMessage; delayMs?: number; until?: Promise<unknown> }
  | {
      status: number;
      error: { type: string; message: string };
      headers?: Record<string, string>;
      delayMs?: number;
      until?: Promise<unknown>;
    };

export interface FakeMessage {
  content: Array<Record<string, unknown>>;
  stop_reason: string;
  usage?: Partial<{
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  }>;
}

export interface RecordedRequest {
  headers: http.IncomingHttpHeaders;
  body: {
    model: string;
    max_tokens: number;
    system?: unknown;
    messages: Array<{ role: string; content: unknown }>;
    tools?: Array<{ name: string; cache_control?: unknown }>;
    tool_choice?: unknown;
    output_config?: { format?: { schema?: { required?: string[] } } };
  };
}

/** The rating turn is the request asking for structured output (it lists the tools like the main turn). */
export const isRatingRequest = (req: RecordedRequest) => !!req.body.output_config?.format;

/**
 * A local stand-in for the Anthropic Messages API, driven by a script of responses, for testing
 * the real @anthropic-ai/sdk code path. It records every request, and fails loudly when its script
 * runs out: the request gets a 500 saying so and `exhausted` is set, which tests assert is false.
 * A step may also be a function of the request (e.g. to answer rating turns by content).
 */
export async function startFakeMessagesApi(
  script: Array<FakeStep | ((req: RecordedRequest) => FakeStep)> = [],
  /** With `promptCache`, usage follows Anthropic's cache accounting (prompt-cache.ts), not a constant. */
  opts: { promptCache?: PromptCacheEmulator } = {},
) {
  const requests: RecordedRequest[] = [];
  const queue = [...script];
  let exhausted = false;
  let ids = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
          res.writeHead(404).end();
          return;
        }
        const recorded: RecordedRequest = {
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        };
        requests.push(recorded);
        const next = queue.shift();
        if (!next) {
          exhausted = true;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              type: 'error',
              error: {
                type: 'api_error',
                message: `fake Messages API: script exhausted at request ${requests.length}`,
              },
            }),
          );
          return;
        }
        const step = typeof next === 'function' ? next(recorded) : next;
        if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
        if (step.until) await step.until;
        if ('status' in step) {
          res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
          res.end(JSON.stringify({ type: 'error', error: step.error }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${++ids}` });
        res.end(
          JSON.stringify({
            id: `msg_fake_${ids}`,
            type: 'message',
            role: 'assistant',
            model: recorded.body.model,
            content: step.message.content,
            stop_reason: step.message.stop_reason,
            stop_sequence: null,
            usage: {
              input_tokens: 100,
              output_tokens: 50,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
              ...opts.promptCache?.usage(recorded.body),
              ...step.message.usage,
            },
          }),
        );
      })();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = {
    url,
    requests,
    get exhausted() {
      return exhausted;
    },
    get remaining() {
      return queue.length;
    },
    push(...steps: Array<FakeStep | ((req: RecordedRequest) => FakeStep)>) {
      queue.push(...steps);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  after(() => fake.close());
  return fake;
}

export const toolUse = (id: string, name: string, input: Record<string, unknown>) => ({
  type: 'tool_use',
  id,
  name,
  input,
});
export const textBlock = (text: string) => ({ type: 'text', text });
export const endTurn = (text = 'Done for today.'): FakeStep => ({
  message: { content: [textBlock(text)], stop_reason: 'end_turn' },
});
export const toolTurn = (...uses: ReturnType<typeof toolUse>[]): FakeStep => ({
  message: { content: uses, stop_reason: 'tool_use' },
});
export const ratingTurn = (ratings: unknown): FakeStep => ({
  message: {
    content: [textBlock(typeof ratings === 'string' ? ratings : JSON.stringify(ratings))],
    stop_reason: 'end_turn',
  },
});
