import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { checkRequest, presentedToken } from '../lib/http/request-guards.ts';
import { handleCodecRequest } from './codec-server.ts';

export interface CodecHttpOptions {
  port: number;
  host: string;
  codec: PayloadCodec;
  /** The secret a caller must present: `Authorization: Bearer`, or as the path segment after /codec/. */
  token: string;
  allowedHosts: readonly string[];
  /** The Web UI's origin(s): CORS is answered for them, and a browser from anywhere else is refused. */
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
}

/**
 * The payload codec endpoint, on its own port (never next to /metrics, which Prometheus scrapes from
 * the network): it decrypts workflow payloads, so it demands a token, a known Host and a bounded body.
 *
 * Routes: `POST /codec/{encode,decode}` with `Authorization: Bearer <token>` (the Temporal CLI's
 * `--codec-auth`), and `POST /codec/<token>/{encode,decode}` for the Web UI, whose codec setting is
 * only a URL (without OIDC it has no way to add a header): that URL is then the secret.
 */
export async function startCodecHttp(opts: CodecHttpOptions) {
  const policy = {
    allowedHosts: opts.allowedHosts,
    allowedOrigins: opts.corsOrigins,
    names: {
      hosts: 'WORKER_CODEC_ALLOWED_HOSTS',
      origins: 'WORKER_CODEC_CORS_ORIGINS',
      token: 'CODEC_TOKEN',
    },
    token: opts.token,
    realm: 'persona-runner codec',
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const origin = req.headers.origin;
      if (origin && opts.corsOrigins.includes(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
        res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
        res.setHeader('vary', 'origin');
      }
      const segments = new URL(req.url ?? '/', 'http://codec').pathname.split('/').filter(Boolean);
      const op = segments.at(-1);
      const routed = segments[0] === 'codec' && (op === 'encode' || op === 'decode') && segments.length <= 3;
      // A browser's preflight carries no credentials: answer it (Host and Origin still checked).
      const rejection = checkRequest(
        req,
        req.method === 'OPTIONS' ? { ...policy, token: undefined } : policy,
        segments.length === 3 ? segments[1] : presentedToken(req),
      );
      if (rejection) {
        res.writeHead(rejection.status, { 'content-type': 'application/json', ...rejection.headers });
        res.end(JSON.stringify({ error: rejection.message }));
        return;
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (req.method !== 'POST' || !routed) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'use POST /codec/encode or /codec/decode' }));
        return;
      }
      await handleCodecRequest(req, res, opts.codec, op, opts.bodyLimitBytes);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
