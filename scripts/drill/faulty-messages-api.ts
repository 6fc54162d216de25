import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** The creating tools the drill persona uses, and the product table each one writes a row to. */
export const CREATING_TOOLS = { todo_create: 'todos', note_create: 'notes' } as const;
const ROUNDS_OF_TOOLS = 2;

interface Body {
  messages?: Array<{ role: string; content: unknown }>;
  output_config?: { format?: { schema?: { required?: string[] } } };
  model?: string;
}

type Fault = '529' | '429' | '500' | 'drop';
const FAULTS: Fault[] = ['529', '429', '500', 'drop'];

/**
 * A local Messages API for the chaos drill, in its own process's event loop: one request in five
 * (deterministic, so runs compare) fails — 529 overloaded, 429 with retry-after, 500, or a dropped
 * connection — and the rest are answered from the request alone, like a scripted persona: two rounds
 * of parallel todo_create + note_create, then end_turn, then the ratings the rating turn's schema
 * asks for. Answers depend only on the request, so any retry or replay gets a valid answer.
 *
 * It also collects every tool_use id that comes back in an assistant turn of a later request: those
 * are the calls the worker accepted into the conversation, each of which must have an action.
 */
export async function startFaultyMessagesApi() {
  let requests = 0;
  const faults: Record<Fault, number> = { '529': 0, '429': 0, '500': 0, drop: 0 };
  const acceptedToolUses = new Set<string>();
  const error = (res: http.ServerResponse, status: number, type: string, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ type: 'error', error: { type, message: `drill fault ${status}` } }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        res.writeHead(404).end();
        return;
      }
      const n = ++requests;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
      for (const m of body.messages ?? []) {
        if (m.role !== 'assistant' || !Array.isArray(m.content)) continue;
        for (const b of m.content as Array<{ type?: string; id?: string }>)
          if (b.type === 'tool_use' && b.id) acceptedToolUses.add(b.id);
      }
      if (n % 5 === 3) {
        const fault = FAULTS[Math.floor(n / 5) % FAULTS.length]!;
        faults[fault]++;
        if (fault === 'drop') return void req.socket.destroy();
        if (fault === '529') return error(res, 529, 'overloaded_error');
        if (fault === '429') return error(res, 429, 'rate_limit_error', { 'retry-after': '1' });
        return error(res, 500, 'api_error');
      }
      const answer = answerFor(body);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_drill_${n}` });
      res.end(
        JSON.stringify({
          id: `msg_drill_${n}`,
          type: 'message',
          role: 'assistant',
          model: body.model ?? 'drill',
          stop_sequence: null,
          usage: {
            input_tokens: 100,
            output_tokens: 50,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
          ...answer,
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    faults,
    acceptedToolUses,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function answerFor(body: Body): { content: unknown[]; stop_reason: string } {
  const required = body.output_config?.format?.schema?.required;
  if (required) {
    const ratings = Object.fromEntries(required.map((m) => [m, { rating: 4, notes: 'drill' }]));
    return { content: [{ type: 'text', text: JSON.stringify(ratings) }], stop_reason: 'end_turn' };
  }
  const rounds = (body.messages ?? []).filter((m) => m.role === 'assistant').length;
  if (rounds >= ROUNDS_OF_TOOLS)
    return { content: [{ type: 'text', text: 'Done for today.' }], stop_reason: 'end_turn' };
  // Fresh ids per answer: a re-asked model call is a new answer, as with the real API.
  const id = () => `toolu_drill_${randomBytes(8).toString('hex')}`;
  const todo = id();
  const note = id();
  return {
    content: [
      { type: 'tool_use', id: todo, name: 'todo_create', input: { title: `drill ${todo}` } },
      { type: 'tool_use', id: note, name: 'note_create', input: { title: `drill ${note}`, body: 'chaos' } },
    ],
    stop_reason: 'tool_use',
  };
}
