import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ToolSpec } from '../tools/tool-spec.ts';
import type { Federation } from '../upstream/federation.ts';
import type { CallDeps, CallSession } from './call-tool.ts';
import { createServer } from './create-server.ts';
import { adoptSession } from './session-adopt.ts';
import type { SessionEntry, SessionTable } from './session-table.ts';

export interface SessionOpenDeps extends CallDeps {
  registry: readonly ToolSpec[];
  federation?: Federation;
  onSession(): void;
}

/**
 * Builds one session's MCP server and transport and registers it in this instance's table: a new
 * session (its initialize is the request about to be handled), or — with `adopt` — a session opened
 * on another instance, continued here from its stored record (session-adopt.ts). `onClosedByClient`
 * runs when the client ends the session (DELETE /mcp), before the transport closes.
 */
export function openSessionEntry(
  deps: SessionOpenDeps,
  sessions: SessionTable,
  opts: {
    id: string;
    subject: string;
    callSession: CallSession;
    adopt?: { clientCapabilities: unknown; clientInfo: unknown };
    onClosedByClient(id: string): Promise<void>;
  },
): SessionEntry {
  const { id } = opts;
  const { server, cleanup } = createServer(deps, opts.callSession, deps.registry, deps.federation);
  // An upstream's tool list changed: tell this session's client (best effort; it may be gone).
  const unsubscribe = deps.federation?.onToolsChanged(() => {
    void server.sendToolListChanged().catch(() => {});
  });
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    enableJsonResponse: true,
    onsessioninitialized: () => deps.onSession(),
    onsessionclosed: (closedId) => opts.onClosedByClient(closedId),
  });
  if (opts.adopt) adoptSession(transport, server, { id, ...opts.adopt });
  const entry: SessionEntry = {
    id,
    transport,
    server,
    subject: opts.subject,
    callSession: opts.callSession,
    privilegesCheckedAt: Date.now(),
    lastSeen: Date.now(),
    inFlight: 0,
    close: async () => {
      sessions.remove(id);
      unsubscribe?.();
      await cleanup();
    },
  };
  sessions.add(entry);
  transport.onclose = () => {
    unsubscribe?.();
    sessions.remove(id);
  };
  return entry;
}
