// The floor of bench/gateway-latency.ts: a bare SDK server (bare-http.ts) with one trivial tool,
// `echo` — no auth, no database. "gateway ÷ bare echo" is the whole gateway's cost, Postgres included.
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { serveBareMcp } from './bare-http.ts';

serveBareMcp(() => {
  const server = new McpServer({ name: 'bench-bare-echo', version: '0.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Returns its input text unchanged.',
      inputSchema: { text: z.string() },
    },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
});
