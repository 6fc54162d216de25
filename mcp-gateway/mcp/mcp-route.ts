import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import {
  isInitializeRequest,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import type { Db } from '../../lib/db/client.ts';
import type { TokenClaims } from '../identity/tokens.ts';
import { forbidden, jsonRpcError, notFound, subjectOf, unknownSubject } from './mcp-answers.ts';
import { privilegeRecheck } from './privilege-recheck.ts';
import { openSessionEntry, type SessionOpenDeps } from './session-open.ts';
import { sessionRestorer } from './session-restore.ts';
import { resolveSessionUser, UnknownSubjectError } from './session-user.ts';
import { SessionGoneError, SessionStore } from './session-store.ts';
import { SessionCapError, SessionTable, type SessionEntry } from './session-table.ts';
import { sessionSweeper } from './session-sweep.ts';

/**
 * The MCP Streamable HTTP endpoint. Each session belongs to the user who opened it:
 * no session id on a non-initialize request → 400, unknown id → 404, another user's id → 403.
 * Sessions are recorded in Postgres (session-store.ts), so any instance behind a load balancer
 * serves any session: one it does not hold is rebuilt from its row. Idle sessions are closed after
 * `idleMs`; a user holds at most `maxSessionsPerUser` over all instances (SessionStore.admit: the
 * least recently used idle one is evicted, or 429 when all are busy).
 */
export function createMcpRouter(
  deps: SessionOpenDeps & {
    db: Db;
    kek: Buffer;
    idleMs: number;
    maxSessionsPerUser: number;
    /** Bound on the age of the privileges an unprivileged call may use (privilege-recheck.ts). */
    privilegeMaxAgeMs: number;
  },
) {
  const sessions = new SessionTable();
  // Touched a few times per idle window: enough for expiry, never a write per call.
  const touchEveryMs = Math.max(1000, Math.floor(deps.idleMs / 10));
  const store = new SessionStore(deps.db, touchEveryMs);
  const recheck = privilegeRecheck(deps.registry, deps.federation, deps.privilegeMaxAgeMs);
  const sweeper = sessionSweeper({
    sessions,
    store,
    idleMs: deps.idleMs,
    // A row's last_seen_at may lag its use on an instance by a touch interval plus a re-read interval.
    rowGraceMs: touchEveryMs + deps.privilegeMaxAgeMs,
    logger: deps.logger,
  });

  /** The client ended the session (DELETE): it ends on every instance. */
  const endedByClient = async (id: string) => {
    await store.remove(id);
    void sessions.get(id)?.close();
  };

  const restorer = sessionRestorer({ deps, sessions, store, onClosedByClient: endedByClient });

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

  async function handleExisting(req: Request, res: Response, claims: TokenClaims, id: string): Promise<void> {
    let session: SessionEntry | undefined;
    try {
      session = await restorer.lookup(id, claims, res);
    } catch (err) {
      if (err instanceof UnknownSubjectError) return unknownSubject(res, err.message);
      throw err;
    }
    if (!session) return;
    if (session.subject !== subjectOf(claims)) return forbidden(res);
    // In flight before the first await, so no eviction picks the session while its user is re-read.
    track(req, res, session);
    try {
      if (recheck.due(req.body, session.privilegesCheckedAt)) {
        const now = Date.now();
        await store.recheck(id, session.callSession);
        session.privilegesCheckedAt = now;
      }
    } catch (err) {
      if (err instanceof SessionGoneError) {
        void session.close();
        return notFound(res, id);
      }
      if (!(err instanceof UnknownSubjectError)) throw err;
      void session.close();
      return unknownSubject(res, err.message);
    }
    await session.transport.handleRequest(req, res, req.body);
  }

  async function handleInitialize(req: Request, res: Response, claims: TokenClaims): Promise<void> {
    let callSession;
    try {
      callSession = await resolveSessionUser(deps.db, deps.kek, claims);
    } catch (err) {
      if (err instanceof UnknownSubjectError) return unknownSubject(res, err.message);
      throw err;
    }
    const id = randomUUID();
    const params = (req.body as { params: { protocolVersion: string; capabilities: unknown; clientInfo: unknown } })
      .params;
    let evicted: string | undefined;
    try {
      evicted = await store.admit(
        {
          id,
          userId: callSession.user.id,
          subject: subjectOf(claims),
          // What the SDK's initialize will answer (Server._oninitialize).
          protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(params.protocolVersion)
            ? params.protocolVersion
            : LATEST_PROTOCOL_VERSION,
          clientCapabilities: params.capabilities ?? {},
          clientInfo: params.clientInfo ?? {},
          tier: callSession.user.isAdmin ? 'admin' : 'user',
        },
        deps.maxSessionsPerUser,
        (other) => {
          const s = sessions.get(other);
          return s && { busy: s.inFlight > 0, lastSeen: s.lastSeen };
        },
      );
    } catch (err) {
      if (!(err instanceof SessionCapError)) throw err;
      deps.metrics.sessionCap.inc({ outcome: 'refused' });
      res.set('Retry-After', '1');
      return jsonRpcError(res, 429, -32000, err.message);
    }
    if (evicted) {
      deps.metrics.sessionCap.inc({ outcome: 'evicted' });
      void sessions.get(evicted)?.close();
    }
    const entry = openSessionEntry(deps, sessions, {
      id,
      subject: subjectOf(claims),
      callSession,
      onClosedByClient: endedByClient,
    });
    track(req, res, entry);
    try {
      await entry.server.connect(entry.transport);
      await entry.transport.handleRequest(req, res, req.body);
    } finally {
      // An initialize the transport refused (wrong Accept header, …) opened nothing: free its slot.
      if (!entry.transport.sessionId) {
        void entry.close();
        await store.remove(id);
      }
    }
  }

  async function handle(req: Request, res: Response): Promise<void> {
    const claims = req.auth!.extra as unknown as TokenClaims;
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) return handleExisting(req, res, claims, sessionId);
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      return jsonRpcError(
        res,
        400,
        -32000,
        'missing Mcp-Session-Id header: only an initialize request may come without one',
      );
    }
    return handleInitialize(req, res, claims);
  }

  return {
    /** The /mcp endpoint's last handler (after auth and body parsing): mounted as a route, not a sub-router. */
    handler: (req: Request, res: Response, next: NextFunction) => {
      handle(req, res).catch(next);
    },
    sessionCount: () => sessions.size,
    /** Closes this instance's sessions; their rows stay, so clients continue on another instance. */
    async closeAll() {
      sweeper.stop();
      await Promise.all([...sessions.values()].map((s) => s.close()));
    },
  };
}
