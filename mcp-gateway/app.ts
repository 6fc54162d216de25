import express from 'express';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import type { Db } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import type { GatewayConfig } from './config.ts';
import { resolveKek } from '../lib/demo-product/kek.ts';
import { errorHandler } from './http/error-handler.ts';
import { originValidation } from './http/origin-validation.ts';
import { createIdentityRouter } from './identity/routes.ts';
import { ensureSigningKey } from './identity/signing-keys.ts';
import { createTokenVerifier } from './identity/tokens.ts';
import { createMcpRouter } from './mcp/mcp-route.ts';
import { createGatewayMetrics } from './metrics.ts';
import { MemoryLoginThrottle } from './identity/login-throttle.ts';
import { PostgresLoginThrottle } from './identity/shared-login-throttle.ts';
import { SlidingWindowRateLimiter } from './policy/rate-limiter.ts';
import { PostgresRateLimiter } from './policy/shared-rate-limiter.ts';
import { createFaultInjector } from './faults.ts';
import { toolRegistry } from './tools/index.ts';
import type { ToolSpec } from './tools/tool-spec.ts';
import { Federation } from './upstream/federation.ts';

export interface GatewayDeps {
  config: GatewayConfig;
  db: Db;
  logger: Logger;
  /** Override for tests (e.g. a registry with a deliberately failing tool). */
  registry?: readonly ToolSpec[];
}

/** Builds the gateway's express app; the caller owns listening and the database. */
export async function createGatewayApp({ config, db, logger, registry: given }: GatewayDeps) {
  const registry = given ?? (config.products.builtin ? toolRegistry : []);
  const kek = resolveKek(config);
  // Upstream products connect in the background; one that is down does not stop the gateway.
  const federation = config.products.products.length
    ? await Federation.start(config.products, {
        logger: logger.child({ component: 'upstream' }),
        dataDir: config.dataDir,
        seedSecret: config.seedSecret,
        builtinNames: registry.map((t) => t.name),
      })
    : undefined;
  const key = await ensureSigningKey(db, kek);
  const metrics = createGatewayMetrics();
  const verifier = createTokenVerifier({
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    jwks: config.auth.jwksUrl ? { url: config.auth.jwksUrl } : { keys: [key.publicJwk] },
  });
  const { rateLimit, rateWindowMs } = config.policy;
  const shared = config.limitsStore === 'postgres';
  const rateLimiter = shared
    ? new PostgresRateLimiter(db, rateLimit, rateWindowMs)
    : new SlidingWindowRateLimiter(rateLimit, rateWindowMs);
  const loginThrottle = shared
    ? new PostgresLoginThrottle(db, config.auth.throttle)
    : new MemoryLoginThrottle(config.auth.throttle);
  const mcp = createMcpRouter({
    db,
    kek,
    logger,
    metrics,
    registry,
    federation,
    idleMs: config.sessionIdleMs,
    maxSessionsPerUser: config.maxSessionsPerUser,
    privilegeMaxAgeMs: config.privilegeMaxAgeMs,
    policy: { mode: config.policy.mode, rateLimiter },
    onSession: () => metrics.sessions.inc(),
    ...(config.faults && { faults: createFaultInjector(config.faults) }),
  });
  if (config.faults)
    logger.warn({ faults: config.faults }, 'GATEWAY_FAULTS is set: the gateway injects failures and latency');

  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer: req.ip (login throttling per IP) is the client it saw, not itself.
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  const publicHost = new URL(config.publicUrl).hostname;
  app.use(hostHeaderValidation([...new Set([...config.allowedHosts, publicHost])]));
  app.use(originValidation([...config.allowedOrigins, new URL(config.publicUrl).origin]));

  const json = express.json({ limit: config.bodyLimit });
  // The MCP endpoint first: the hot path matches before the other routes are tried. A route, not
  // app.use('/mcp', …, router): the sub-router's prefix trimming and second dispatch cost tens of µs
  // per call (CPU profile, issue 12), and /mcp has no sub-paths.
  app.all(
    '/mcp',
    (req, res, next) => {
      res.on('finish', () => {
        if (res.statusCode === 401) metrics.authFailures.inc();
      });
      next();
    },
    requireBearerAuth({ verifier }),
    json,
    mcp.handler,
  );

  app.get('/health', async (_req, res) => {
    const dbOk = await db
      .execute('SELECT 1')
      .then(() => true)
      .catch(() => false);
    // A product that is down degrades the status but not the HTTP code: the gateway still serves.
    // Unauthenticated: each product's state and error class only (the reason is in the log).
    const products = federation?.health() ?? [];
    const productsOk = products.every((p) => p.status === 'up');
    res.status(dbOk ? 200 : 503).json({
      status: dbOk && productsOk ? 'ok' : 'degraded',
      registry: { loaded: registry.length + (federation?.tools().length ?? 0) > 0, tools: registry.length },
      products,
      db: dbOk ? 'reachable' : 'unreachable',
      sessions: mcp.sessionCount(),
      policyMode: config.policy.mode,
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Only the identity routes parse JSON up front; /mcp parses after auth, so an unauthenticated
  // request gets its 401 without the gateway reading (up to the limit of) its body first.
  app.use('/auth', json);
  app.use(createIdentityRouter({ db, kek, key, metrics, throttle: loginThrottle, settings: { ...config.auth } }));
  app.use(errorHandler(logger));

  return {
    app,
    metrics,
    signingKey: key,
    kek,
    federation,
    close: async () => {
      await mcp.closeAll();
      await federation?.close();
    },
  };
}
