// A local stand-in for the Anthropic Messages API, for driving the real @anthropic-ai/sdk code path
// (AnthropicProvider with baseURL) in tests and benchmarks. Answers come from a script of steps
// (tests: it fails loudly when the script runs out — a 500 saying so, and `exhausted` set) or are
// computed from each request by `answer` (benchmarks: `plannedAnswer`), after an optional fixed
// latency. Every request is recorded, and every call's served time (body received → response
// written), so a benchmark knows exactly how long "the model" took.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PromptCacheEmulator } from './prompt-cache.ts';

export interface FakeMessage {
  content: Array<Record<string, unknown>>;
  stop_reason: string;
  usage?: Partial<Usage>;
}

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

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

export type ScriptItem = FakeStep | ((req: RecordedRequest) => FakeStep);

export interface ServedCall {
  /** performance.now() when the request body was complete, and when the response was written. */
  receivedAt: number;
  respondedAt: number;
  purpose: 'main' | 'rating';
}

/** The rating turn is the request asking for structured output (it lists the tools like the main turn). */
export const isRatingRequest = (req: Pick<RecordedRequest, 'body'>) => !!req.body.output_config?.format;

export interface FakeMessagesApiOptions {
  script?: ScriptItem[];
  /** Computes every answer the script does not give (benchmarks); without it an empty script is an error. */
  answer?: (req: RecordedRequest) => FakeStep;
  /** Latency of every answer that has no `delayMs` of its own. */
  delayMs?: number;
  /** With `promptCache`, usage follows Anthropic's cache accounting (prompt-cache.ts), not a constant. */
  promptCache?: PromptCacheEmulator;
  /** Usage reported when neither the step nor the prompt cache says otherwise. */
  usage?: Partial<Usage>;
}

export interface FakeMessagesApi {
  url: string;
  requests: RecordedRequest[];
  served: ServedCall[];
  readonly exhausted: boolean;
  readonly remaining: number;
  push(...steps: ScriptItem[]): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: Usage = {
  input_tokens: 100,
  output_tokens: 50,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

export async function startFakeMessagesApi(opts: FakeMessagesApiOptions = {}): Promise<FakeMessagesApi> {
  const requests: RecordedRequest[] = [];
  const served: ServedCall[] = [];
  const queue = [...(opts.script ?? [])];
  let exhausted = false;
  let ids = 0;
  const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const apiError = (message: string) => ({ type: 'error', error: { type: 'api_error', message } });

  async function respond(recorded: RecordedRequest, res: http.ServerResponse): Promise<void> {
    const next = queue.shift();
    if (!next && !opts.answer) {
      exhausted = true;
      json(res, 500, apiError(`fake Messages API: script exhausted at request ${requests.length}`));
      return;
    }
    const step = !next ? opts.answer!(recorded) : typeof next === 'function' ? next(recorded) : next;
    const delayMs = step.delayMs ?? opts.delayMs;
    if (delayMs) await sleep(delayMs);
    if (step.until) await step.until;
    if ('status' in step) {
      json(res, step.status, { type: 'error', error: step.error }, step.headers);
      return;
    }
    const id = ++ids;
    json(
      res,
      200,
      {
        id: `msg_fake_${id}`,
        type: 'message',
        role: 'assistant',
        model: recorded.body.model,
        content: step.message.content,
        stop_reason: step.message.stop_reason,
        stop_sequence: null,
        usage: {
          ...DEFAULT_USAGE,
          ...opts.usage,
          ...opts.promptCache?.usage(recorded.body),
          ...step.message.usage,
        },
      },
      { 'request-id': `req_fake_${id}` },
    );
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAt = performance.now();
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        res.writeHead(404).end();
        return;
      }
      void (async () => {
        try {
          const recorded: RecordedRequest = {
            headers: req.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          };
          requests.push(recorded);
          await respond(recorded, res);
          const purpose = isRatingRequest(recorded) ? 'rating' : 'main';
          served.push({ receivedAt, respondedAt: performance.now(), purpose });
        } catch (err) {
          // A step function or `answer` that throws is a broken script: say so instead of hanging.
          if (!res.headersSent) json(res, 500, apiError(`fake Messages API: ${String(err)}`));
        }
      })();
    });
  });
  // Longer than the SDK's keep-alive, so a benchmark never pays for a new connection mid-run.
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    served,
    get exhausted() {
      return exhausted;
    },
    get remaining() {
      return queue.length;
    },
    push(...steps) {
      queue.push(...steps);
    },
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}

/**
 * For a test file: the fake, driven by a script of responses, closed when the file ends. It fails
 * loudly when its script runs out (the request gets a 500 saying so and `exhausted` is set, which
 * tests assert is false). A step may also be a function of the request (e.g. to answer rating turns
 * by content). With `promptCache`, usage follows Anthropic's cache accounting (prompt-cache.ts).
 */
export async function startTestFakeMessagesApi(
  script: ScriptItem[] = [],
  opts: { promptCache?: PromptCacheEmulator } = {},
): Promise<FakeMessagesApi> {
  const fake = await startFakeMessagesApi({ script, ...opts });
  after(() => fake.close());
  return fake;
}
