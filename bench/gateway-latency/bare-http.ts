// The plumbing shared by the baselines of bench/gateway-latency.ts (bare-server.ts, bare-sql-server.ts):
// a bare @modelcontextprotocol/sdk Streamable HTTP server, run as its own process exactly like the
// gateway child.
//
// Why it is built the way it is — so that "gateway ÷ baseline" measures what the gateway adds, not
// differences in plumbing:
// - the same stack: express 5 + express.json() + StreamableHTTPServerTransport, one transport and one
//   MCP server per session (kept in a map by session id), as mcp-gateway/mcp/mcp-route.ts does;
// - the same transport options: `enableJsonResponse: true` (each POST is answered with one JSON body,
//   not an SSE stream) and a random UUID session id;
// - the same server-side validation a stock SDK server does: McpServer + registerTool with a zod input
//   schema, so a baseline also parses its arguments.
// What it deliberately lacks is everything the gateway is for: bearer-JWT auth, host/origin checks,
// session ownership, the policy gate, metrics.
//
// Prints one JSON line `{"benchReady":true,"url":…,"mcpUrl":…,"pid":…}` on stdout when listening;
// SIGTERM stops it (then `onStop`).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/**
 * Serves MCP sessions; `createSession` builds the server of a new session from its initialize request's
 * Authorization header (a baseline may bind the session to a user named there; it verifies nothing).
 */
export function serveBareMcp(
  createSession: (authorization: string | undefined) => McpServer,
  onStop: () => Promise<void> = async () => {},
): void {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.all('/mcp', async (req, res) => {
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const transport = transports.get(sessionId);
      if (!transport) {
        res
          .status(404)
          .json({ jsonrpc: '2.0', error: { code: -32001, message: 'session not found' }, id: null });
        return;
      }
      await transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      res
        .status(400)
        .json({ jsonrpc: '2.0', error: { code: -32000, message: 'missing Mcp-Session-Id' }, id: null });
      return;
    }
    const server = createSession(req.headers.authorization);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        transports.set(id, transport);
      },
      onsessionclosed: (id) => {
        transports.delete(id);
        void server.close();
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  const httpServer = app.listen(0, '127.0.0.1', () => {
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    process.stdout.write(
      `${JSON.stringify({ benchReady: true, url, mcpUrl: `${url}/mcp`, pid: process.pid })}\n`,
    );
  });
  httpServer.keepAliveTimeout = 65_000; // as the gateway (mcp-gateway/server.ts)

  const stop = () => {
    httpServer.closeAllConnections();
    httpServer.close(() => {
      void onStop().finally(() => process.exit(0));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
