import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Db } from '../../lib/db/client.ts';
import { bearerChallenge, type TokenClaims } from '../identity/tokens.ts';
import type { ToolSpec } from '../tools/tool-spec.ts';
import type { Federation } from '../upstream/federation.ts';
import type { CallDeps } from './call-tool.ts';
import { createServer } from './create-server.ts';
import { refreshSessionUser, resolveSessionUser, UnknownSubjectError } from './session-user.ts';
import type { CallSession } from './call-tool.ts';

interface Session {
  transport: StreamableHTTPServerTransport;
  /** The token subject that opened the session; only the same subject may use it. */
  subject: string;
  /** The session's user; its privileges are re-read before every request (refreshSessionUser). */
  callSession: CallSession;
  lastSeen: number;
  close(): Promise<void>;
}

function jsonRpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * A valid signature over a subject that is nobody (deleted, or never signed up): the token does not
 * authenticate anyone, so 401 with the RFC 6750 challenge, not 403 (which means "known, not allowed").
 */
function unknownSubject(res: Response, message: string): void {
  res.set('WWW-Authenticate', bearerChallenge('invalid_token', message));
  jsonRpcError(res, 401, -32001, message);
}

/**
 * The MCP Streamable HTTP endpoint. Each session belongs to the user who opened it:
 * no session id on a non-initialize request → 400, unknown id → 404, another user's id → 403.
 * Idle sessions are closed after `idleMs`.
 */
export function createMcpRouter(
  deps: CallDeps & {
    db: Db;
    kek: Buffer;
    registry: readonly ToolSpec[];
    federation?: Federation;
    idleMs: number;
    onSession(): void;
  },
) {
  const sessions = new Map<string, Session>();
  const router: Router = express.Router();

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - deps.idleMs;
      for (const s of sessions.values()) if (s.lastSeen < cutoff) void s.close();
    },
    Math.min(deps.idleMs, 60_000),
  );
  sweep.unref();

  async function handle(req: Request, res: Response): Promise<void> {
    const claims = req.auth!.extra as unknown as TokenClaims;
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;

    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session)
        return jsonRpcError(
          res,
          404,
          -32001,
          `session ${sessionId} not found (expired or closed); initialize a new one`,
        );
      if (session.subject !== claims.sub) {
        return jsonRpcError(res, 403, -32003, 'this session belongs to another user');
      }
      try {
        await refreshSessionUser(deps.db, session.callSession);
      } catch (err) {
        if (!(err instanceof UnknownSubjectError)) throw err;
        void session.close();
        return unknownSubject(res, err.message);
      }
      session.lastSeen = Date.now();
      await session.transport.handleRequest(req, res, req.body);
      return;
    }

    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      return jsonRpcError(
        res,
        400,
        -32000,
        'missing Mcp-Session-Id header: only an initialize request may come without one',
      );
    }

    let callSession;
    try {
      callSession = await resolveSessionUser(deps.db, deps.kek, claims);
    } catch (err) {
      if (err instanceof UnknownSubjectError) return unknownSubject(res, err.message);
      throw err;
    }
    const { server, cleanup } = createServer(deps, callSession, deps.registry, deps.federation);
    // An upstream's tool list changed: tell this session's client (best effort; it may be gone).
    const unsubscribe = deps.federation?.onToolsChanged(() => {
      void server.sendToolListChanged().catch(() => {});
    });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        deps.onSession();
        sessions.set(id, {
          transport,
          subject: claims.sub,
          callSession,
          lastSeen: Date.now(),
          close: async () => {
            sessions.delete(id);
            unsubscribe?.();
            await cleanup();
          },
        });
      },
      onsessionclosed: (id) => {
        void sessions.get(id)?.close();
      },
    });
    transport.onclose = () => {
      unsubscribe?.();
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  router.all('/', (req, res, next) => {
    handle(req, res).catch(next);
  });

  return {
    router,
    sessionCount: () => sessions.size,
    async closeAll() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.close()));
    },
  };
}
