import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Db } from '../../lib/db/client.ts';
import { bearerChallenge, type TokenClaims } from '../identity/tokens.ts';
import type { ToolSpec } from '../tools/tool-spec.ts';
import type { Federation } from '../upstream/federation.ts';
import type { CallDeps } from './call-tool.ts';
import { createServer } from './create-server.ts';
import { privilegeRecheck } from './privilege-recheck.ts';
import { refreshSessionUser, resolveSessionUser, UnknownSubjectError } from './session-user.ts';
import { SessionCapError, SessionTable, type SessionEntry } from './session-table.ts';

const subjects = new WeakMap<TokenClaims, string>();

/**
 * Who a token speaks for: a subject is only unique within its issuer. Memoised per claims object (the
 * verifier returns the same one for every request with a cached token).
 */
function subjectOf(claims: TokenClaims): string {
  let s = subjects.get(claims);
  if (s === undefined) subjects.set(claims, (s = JSON.stringify([claims.iss, claims.sub])));
  return s;
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
 * Idle sessions are closed after `idleMs`; a user holds at most `maxSessionsPerUser` (see
 * SessionTable.admit: the least recently used idle one is evicted, or 429 when all are busy).
 */
export function createMcpRouter(
  deps: CallDeps & {
    db: Db;
    kek: Buffer;
    registry: readonly ToolSpec[];
    federation?: Federation;
    idleMs: number;
    maxSessionsPerUser: number;
    /** Bound on the age of the privileges an unprivileged call may use (privilege-recheck.ts). */
    privilegeMaxAgeMs: number;
    onSession(): void;
  },
) {
  const sessions = new SessionTable(deps.maxSessionsPerUser);
  const recheck = privilegeRecheck(deps.registry, deps.federation, deps.privilegeMaxAgeMs);

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - deps.idleMs;
      // A session waiting on a slow call is not idle, however long ago the call began.
      for (const s of [...sessions.values()]) if (s.inFlight === 0 && s.lastSeen < cutoff) void s.close();
    },
    Math.min(deps.idleMs, 60_000),
  );
  sweep.unref();

  /**
   * POSTs carry the calls a client waits for: they make a session busy and recent. A GET is the
   * standing notification stream an SDK client opens after initialize; it is not use, so it counts
   * for neither (else every SDK session would look busy forever, and eviction order would follow
   * when those streams happened to connect).
   */
  function track(req: Request, res: Response, session: SessionEntry): void {
    // 'close' fires once the answer is sent or the client has gone, whichever comes first.
    if (req.method === 'POST') res.once('close', sessions.begin(session));
  }

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
      if (session.subject !== subjectOf(claims)) {
        return jsonRpcError(res, 403, -32003, 'this session belongs to another user');
      }
      // In flight before the first await, so no eviction picks the session while its user is re-read.
      track(req, res, session);
      try {
        if (recheck.due(req.body, session.privilegesCheckedAt)) {
          const now = Date.now();
          await refreshSessionUser(deps.db, session.callSession);
          session.privilegesCheckedAt = now;
        }
      } catch (err) {
        if (!(err instanceof UnknownSubjectError)) throw err;
        void session.close();
        return unknownSubject(res, err.message);
      }
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
    // From here to sessions.add() nothing awaits: two initializes of one user cannot both pass the cap.
    let evicted: SessionEntry | undefined;
    try {
      evicted = sessions.admit(callSession.user.id);
    } catch (err) {
      if (!(err instanceof SessionCapError)) throw err;
      deps.metrics.sessionCap.inc({ outcome: 'refused' });
      res.set('Retry-After', '1');
      return jsonRpcError(res, 429, -32000, err.message);
    }
    if (evicted) {
      deps.metrics.sessionCap.inc({ outcome: 'evicted' });
      void evicted.close();
    }

    const id = randomUUID();
    const { server, cleanup } = createServer(deps, callSession, deps.registry, deps.federation);
    // An upstream's tool list changed: tell this session's client (best effort; it may be gone).
    const unsubscribe = deps.federation?.onToolsChanged(() => {
      void server.sendToolListChanged().catch(() => {});
    });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      enableJsonResponse: true,
      onsessioninitialized: () => deps.onSession(),
      onsessionclosed: (closedId) => {
        void sessions.get(closedId)?.close();
      },
    });
    const entry: SessionEntry = {
      id,
      transport,
      subject: subjectOf(claims),
      callSession,
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
    track(req, res, entry);
    transport.onclose = () => {
      unsubscribe?.();
      sessions.remove(id);
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } finally {
      // An initialize the transport refused (wrong Accept header, …) opened nothing: free its slot.
      if (!transport.sessionId) void entry.close();
    }
  }

  return {
    /** The /mcp endpoint's last handler (after auth and body parsing): mounted as a route, not a sub-router. */
    handler: (req: Request, res: Response, next: NextFunction) => {
      handle(req, res).catch(next);
    },
    sessionCount: () => sessions.size,
    async closeAll() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.close()));
    },
  };
}
