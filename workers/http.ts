import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { checkRequest, LOOPBACK_HOSTS } from '../lib/http/request-guards.ts';

/**
 * The worker's small HTTP surface: /metrics (prom-client) and /health. Both check Host (DNS
 * rebinding); /metrics also demands `token` when one is given — the worker passes one whenever it
 * listens beyond loopback, since metrics name personas' modules and error hotspots. The payload
 * codec is served apart (workers/codec-http.ts).
 */
export async function startWorkerHttp(opts: {
  port: number;
  host?: string;
  registry: Registry;
  health(): { ok: boolean; [k: string]: unknown };
  allowedHosts?: readonly string[];
  token?: string | undefined;
}) {
  const policy = {
    allowedHosts: opts.allowedHosts ?? LOOPBACK_HOSTS,
    names: { hosts: 'WORKER_METRICS_ALLOWED_HOSTS', token: 'WORKER_METRICS_TOKEN' },
    realm: 'persona-runner worker metrics',
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://worker');
      const isMetrics = url.pathname === '/metrics';
      const rejection = checkRequest(req, isMetrics ? { ...policy, token: opts.token } : policy);
      if (rejection) {
        res.writeHead(rejection.status, { 'content-type': 'application/json', ...rejection.headers });
        res.end(JSON.stringify({ error: rejection.message }));
        return;
      }
      if (isMetrics && req.method === 'GET') {
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
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found', routes: ['/metrics', '/health'] }));
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
