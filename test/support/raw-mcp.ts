import { request } from 'node:http';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

/** Headers a Streamable HTTP client must send on every POST (the SDK transport answers 406/415 otherwise). */
export const MCP_POST_HEADERS = {
  Accept: 'application/json, text/event-stream',
  'Content-Type': 'application/json',
} as const;

export const initializeRequest = (id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'raw-http-test', version: '0.0.0' },
  },
});

export interface RawPost {
  token?: string;
  sessionId?: string;
  headers?: Record<string, string>;
}

/** A raw JSON-RPC POST to /mcp with fetch; adds the protocol-version header once a session exists. */
export async function postMcp(mcpUrl: URL, body: unknown, opts: RawPost = {}): Promise<Response> {
  const headers: Record<string, string> = { ...MCP_POST_HEADERS };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.sessionId) {
    headers['Mcp-Session-Id'] = opts.sessionId;
    headers['Mcp-Protocol-Version'] = LATEST_PROTOCOL_VERSION;
  }
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { ...headers, ...opts.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Opens a session the way a client does (initialize, then notifications/initialized); returns its id. */
export async function openSession(mcpUrl: URL, token: string): Promise<string> {
  const res = await postMcp(mcpUrl, initializeRequest(), { token });
  if (res.status !== 200) throw new Error(`initialize failed: ${res.status} ${await res.text()}`);
  const sessionId = res.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('initialize answered without an Mcp-Session-Id header');
  await res.body?.cancel();
  const ack = await postMcp(
    mcpUrl,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { token, sessionId },
  );
  if (ack.status !== 202) throw new Error(`notifications/initialized failed: ${ack.status}`);
  return sessionId;
}

export const toolsListRequest = (id: number | string = 2) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

/**
 * A request through node:http, for what fetch will not send as given (a forged Host header).
 * Resolves with the status and the parsed JSON body.
 */
export function rawHttp(
  url: URL,
  opts: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
