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
          purpose: body.output_config?.format ? 'rating' : 'main',
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

// ---------------------------------------------------------------------------------------------------
// A planned day: `rounds` rounds of `parallel` tool calls over the gateway's tools, end_turn, then the
// rating (structured JSON for exactly the modules asked). Used by tick-efficiency and transcript-bytes.

const TOOL_PLAN: Array<(n: number) => { name: string; input: Record<string, unknown> }> = [
  (n) => ({
    name: 'todo_create',
    input: { title: `Benchmark todo ${n}: call the dentist`, priority: 'high' },
  }),
  (n) => ({
    name: 'note_create',
    input: { title: `Bench note ${n}`, body: 'Meeting notes: ship the thing, then rest.', tags: ['bench'] },
  }),
  () => ({ name: 'todo_list', input: { status: 'open', limit: 20 } }),
  (n) => ({ name: 'habit_create', input: { name: `Stretch ${n}`, cadence: 'daily' } }),
  (n) => ({ name: 'journal_add', input: { body: `Day ${n}: a calm one, mostly.`, mood: 4 } }),
  () => ({ name: 'note_search', input: { query: 'meeting', limit: 5 } }),
  () => ({ name: 'habit_list', input: {} }),
];

export function plannedAnswer(plan: {
  rounds: number;
  parallel: number;
}): (body: FakeRequestBody) => FakeAnswer {
  let toolUseSeq = 0;
  return (body) => {
    if (body.output_config?.format) {
      const modules = body.output_config?.format?.schema?.required ?? [];
      const ratings = Object.fromEntries(modules.map((m) => [m, { rating: 4, notes: 'quick and clear' }]));
      return { content: [{ type: 'text', text: JSON.stringify(ratings) }], stop_reason: 'end_turn' };
    }
    const round = body.messages.filter((m) => m.role === 'assistant').length;
    if (round >= plan.rounds) {
      return { content: [{ type: 'text', text: 'Done for today.' }], stop_reason: 'end_turn' };
    }
    const content = Array.from({ length: plan.parallel }, (_, i) => {
      const n = ++toolUseSeq;
      const { name, input } = TOOL_PLAN[(round * plan.parallel + i) % TOOL_PLAN.length]!(n);
      return { type: 'tool_use', id: `toolu_bench_${n}`, name, input };
    });
    return { content, stop_reason: 'tool_use' };
  };
}
