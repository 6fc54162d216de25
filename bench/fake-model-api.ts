// A local stand-in for the Anthropic Messages API with a fixed latency per call, for driving the real
// AnthropicProvider (@anthropic-ai/sdk with baseURL) in benchmarks. The same idea as
// test/helpers/fake-messages-api.ts, without node:test (a benchmark is not a test file): every answer
// is computed from the request by `answer`, and every call's served time (request body received →
// response written) is recorded, so a benchmark knows exactly how long "the model" took.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequestBody {
  model: string;
  max_tokens: number;
  system?: unknown;
  messages: Array<{ role: string; content: unknown }>;
  tools?: Array<{ name: string }>;
  output_config?: { format?: { schema?: { required?: string[] } } };
}

export interface FakeAnswer {
  content: Array<Record<string, unknown>>;
  stop_reason: string;
}

export interface ServedCall {
  /** performance.now() when the request body was complete, and when the response was written. */
  receivedAt: number;
  respondedAt: number;
  purpose: 'main' | 'rating';
}

export async function startFakeModelApi(opts: {
  delayMs: number;
  answer(body: FakeRequestBody): FakeAnswer;
}) {
  const served: ServedCall[] = [];
  let ids = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAt = performance.now();
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        res.writeHead(404).end();
        return;
      }
      let body: FakeRequestBody;
      let answer: FakeAnswer;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequestBody;
        answer = opts.answer(body);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
        return;
      }
      setTimeout(() => {
        const id = ++ids;
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_bench_${id}` });
        res.end(
          JSON.stringify({
            id: `msg_bench_${id}`,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: answer.content,
            stop_reason: answer.stop_reason,
            stop_sequence: null,
            usage: {
              input_tokens: 1200,
              output_tokens: 120,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 900,
            },
          }),
        );
        served.push({
          receivedAt,
          respondedAt: performance.now(),
          purpose: body.tools?.length ? 'main' : 'rating',
        });
      }, opts.delayMs);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
