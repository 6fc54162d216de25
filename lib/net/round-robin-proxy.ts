import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Requests each backend answered (by index in `backends`), for reports. */
  served: number[];
  close(): Promise<void>;
}

/**
 * A plain round-robin HTTP load balancer, as nginx or HAProxy run with their defaults and no sticky
 * sessions: each request goes to the next backend in turn, over a fresh connection (no keep-alive
 * to the backends, so nothing pins a client to one). A backend that refuses the connection is
 * skipped for that request (the request was never sent, so this is safe even for a POST — nginx's
 * `proxy_next_upstream error`); a backend that fails after the request was sent answers 502, as a
 * real proxy does. Streams (SSE) are piped through. Used by the multi-gateway test and the drill.
 */
export async function startRoundRobinProxy(backends: string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served = backends.map(() => 0);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), next++ % backends.length, backends.length));
    req.on('error', () => res.destroy());
  });

  function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, i: number, left: number) {
    const target = new URL(req.url ?? '/', backends[i]);
    const out = http.request(
      target,
      { method: req.method, headers: { ...req.headers, connection: 'close' }, agent: false },
      (answer) => {
        served[i]!++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && left > 1) return forward(req, res, body, (i + 1) % backends.length, left - 1);
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway: ${err.code ?? err.message}`);
    });
    // The client went away: so does the request to the backend (a held SSE stream, for one).
    res.on('close', () => out.destroy());
    out.end(body);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
