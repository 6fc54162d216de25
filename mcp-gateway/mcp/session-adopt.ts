import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import { PersonaRunnerError } from '../../lib/errors.ts';

/** Thrown when the MCP SDK no longer has the fields a session is rebuilt through (after an upgrade). */
export class SessionAdoptionUnsupportedError extends PersonaRunnerError {
  override readonly code = 'SESSION_ADOPTION_UNSUPPORTED';
}

interface WebTransportState {
  sessionId?: string;
  _initialized: boolean;
}
interface ServerState {
  _clientCapabilities?: ClientCapabilities;
  _clientVersion?: Implementation;
}

function field<T extends object>(owner: object, name: string, what: string): T {
  const value = (owner as Record<string, unknown>)[name];
  if (typeof value !== 'object' || value === null)
    throw new SessionAdoptionUnsupportedError(
      `cannot rebuild an MCP session on this instance: the SDK's ${what} has no ${name} (SDK upgraded?)`,
    );
  return value as T;
}

/**
 * Makes a fresh transport and server continue a session that was initialized on another gateway
 * instance: the transport answers to `sessionId` as if it had run the initialize itself, and the
 * server knows the client's capabilities and info from that initialize. The MCP TypeScript SDK (1.x)
 * has no public way to do this (typescript-sdk issues #1658 and #1882: multi-node session
 * hydration is an open request), so this sets the same fields its initialize sets — in this one file,
 * checked on every use, and pinned by test/gateway/multi-gateway-sessions.test.ts.
 */
export function adoptSession(
  transport: StreamableHTTPServerTransport,
  server: Server,
  stored: { id: string; clientCapabilities: unknown; clientInfo: unknown },
): void {
  const web = field<WebTransportState>(transport, '_webStandardTransport', 'StreamableHTTPServerTransport');
  if (typeof web._initialized !== 'boolean')
    throw new SessionAdoptionUnsupportedError(
      "cannot rebuild an MCP session on this instance: the SDK's transport has no _initialized flag (SDK upgraded?)",
    );
  web.sessionId = stored.id;
  web._initialized = true;
  const state = server as unknown as ServerState;
  state._clientCapabilities = stored.clientCapabilities as ClientCapabilities;
  state._clientVersion = stored.clientInfo as Implementation;
}
