import type { RequestHandler } from 'express';
import { originAllowed } from '../../lib/http/request-guards.ts';

/**
 * DNS-rebinding defence for browsers: a request that carries an Origin must come from an allowed
 * origin. (Host is checked by the SDK's hostHeaderValidation.) Non-browser clients send no Origin.
 * The check itself is shared with the dashboard and the worker's endpoints (lib/http/request-guards.ts).
 */
export function originValidation(allowedOrigins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (originAllowed(origin, allowedOrigins)) return next();
    res.status(403).json({
      jsonrpc: '2.0',
      error: { code: -32000, message: `origin ${origin} is not allowed (GATEWAY_ALLOWED_ORIGINS)` },
      id: null,
    });
  };
}
