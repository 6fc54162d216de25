import type { RequestHandler } from 'express';

/**
 * DNS-rebinding defence for browsers: a request that carries an Origin must come from an allowed
 * origin. (Host is checked by the SDK's hostHeaderValidation.) Non-browser clients send no Origin.
 */
export function originValidation(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/$/, '')));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || allowed.has(origin)) return next();
    res.status(403).json({
      jsonrpc: '2.0',
      error: { code: -32000, message: `origin ${origin} is not allowed (GATEWAY_ALLOWED_ORIGINS)` },
      id: null,
    });
  };
}
