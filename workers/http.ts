import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { PayloadCodec } from '@temporalio/common';
import { handleCodecRequest } from './codec-server.ts';

/**
 * The worker's small HTTP surface: /metrics (prom-client), /health, and — when a payload codec is
 * configured — the codec server endpoints /codec/encode and /codec/decode for the Web UI and
 * `temporal --codec-endpoint`.
 */
export async function startWorkerHttp(opts: {
  port: number;
  host?: string;
  registry: Registry;
  health(): { ok: boolean; [k: string]: unknown };
  codec?: PayloadCodec;
  corsOrigins?: string[];
}) {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://worker');
      if (url.pathname === '/metrics' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': opts.registry.contentType });
        res.end(await opts.registry.metrics());
        return;
      }
      if (url.pathname === '/health' && req.method === 'GET') {
        const h = opts.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(h));
        return;
      }
      if (url.pathname.startsWith('/codec/') && opts.codec) {
        await handleCodecRequest(req, res, opts.codec, opts.corsOrigins ?? []);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'not found',
          routes: ['/metrics', '/health', ...(opts.codec ? ['/codec/encode', '/codec/decode'] : [])],
        }),
      );
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
