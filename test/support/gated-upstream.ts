// An MCP server over Streamable HTTP inside the test process, for test/federation/idempotency.test.ts:
// its tool `work` counts how often the upstream really ran and waits for a gate the test opens, so a
// test can hold a call in flight and see whether a duplicate reached the upstream too; `drop` answers
// with an SSE stream that ends before the result, `malformed` with a broken content block.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { gate } from './wait.ts';

export interface GatedUpstream {
  /** `/mcp` answers POSTs as SSE streams (the SDK's default), `/json` as plain JSON; `/moved` redirects to `/mcp`. */
  url(mode: 'sse' | 'json' | 'moved'): string;
  /** Calls of `work` that reached this server. */
  calls: number;
  /** The next `n` calls of `work` answer with isError. */
  failNext: number;
  /** Holds `work` until open() (a fresh gate each time). */
  hold(): void;
  open(): void;
}

const object = { type: 'object', properties: { label: { type: 'string' } } } as const;
const tools = [
  { name: 'work', description: 'Counts the call, waits for the gate', inputSchema: object },
  {
    name: 'bad_output',
    description: 'Breaks its own output schema',
    inputSchema: { type: 'object', properties: {} },
    outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  },
  { name: 'drop', description: 'Its SSE answer ends before the result', inputSchema: { type: 'object' } },
  {
    name: 'malformed',
    description: 'Answers with a text block without text',
    inputSchema: { type: 'object' },
  },
];

export async function startGatedUpstream(): Promise<GatedUpstream> {
  let held: ReturnType<typeof gate> | undefined;
  const state: GatedUpstream = {
    url: (mode) =>
      `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/${mode === 'sse' ? 'mcp' : mode}`,
    calls: 0,
    failNext: 0,
    hold: () => void (held = gate()),
    open: () => held?.open(),
  };
  const mcpServer = () => {
    const server = new Server({ name: 'gated', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, async (req) => {
      if (req.params.name === 'bad_output')
        return { content: [{ type: 'text', text: 'n is a word' }], structuredContent: { n: 'seven' } };
      const n = ++state.calls;
      await held?.promise;
      if (state.failNext > 0) {
        state.failNext--;
        return { content: [{ type: 'text', text: `work ${n} failed` }], isError: true };
      }
      return { content: [{ type: 'text', text: `work ${n} done (${String(req.params.arguments?.label)})` }] };
    });
    return server;
  };

  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const httpServer = http.createServer(async (req, res) => {
    if (req.url === '/moved') return void res.writeHead(307, { location: '/mcp' }).end();
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const message = body
      ? (JSON.parse(body) as { id?: number | string; method?: string; params?: { name?: string } })
      : undefined;
    if (message?.method === 'tools/call' && message.params?.name === 'drop') {
      // An answer stream that closes before the result (a proxy timing out, a server crashing).
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end();
    }
    if (message?.method === 'tools/call' && message.params?.name === 'malformed') {
      // What an SDK server would refuse to send: written by hand.
      const result = { content: [{ type: 'text' }] };
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      if (req.method !== 'POST' || typeof id === 'string') return void res.writeHead(404).end();
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: req.url === '/json',
        onsessioninitialized: (sid) => void sessions.set(sid, transport!),
      });
      await mcpServer().connect(transport);
    }
    await transport.handleRequest(req, res, message);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
  after(async () => {
    state.open();
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
  });
  return state;
}
