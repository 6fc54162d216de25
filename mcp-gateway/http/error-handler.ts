import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../lib/logger.ts';

/** Body-parser failures become precise 4xx answers; anything else is a logged 500 with no internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: { type?: string; status?: number; limit?: number; message?: string }, _req, res, _next) => {
    if (res.headersSent) return;
    if (err.type === 'entity.too.large') {
      res.status(413).json({
        jsonrpc: '2.0',
        error: {
          code: -32600,
          message: `request body larger than the ${err.limit}-byte limit (GATEWAY_BODY_LIMIT)`,
        },
        id: null,
      });
      return;
    }
    if (err.type === 'entity.parse.failed') {
      res.status(400).json({
        jsonrpc: '2.0',
        error: { code: -32700, message: `parse error: body is not valid JSON` },
        id: null,
      });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res
        .status(err.status)
        .json({ jsonrpc: '2.0', error: { code: -32600, message: err.message ?? 'bad request' }, id: null });
      return;
    }
    logger.error({ err }, 'unhandled request error');
    res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null });
  };
}
