import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { gate } from './wait.ts';

/**
 * An HTTP proxy in front of a server, which can hold chosen requests before forwarding them: a test
 * can keep one call "in flight" at a precise point (e.g. across a gateway restart) without timers.
 * Each hold catches the first request whose body matches, once; everything else passes straight on.
 */
export async function startHoldingProxy(target: string) {
  const holds: Array<{
    match: (body: string) => boolean;
    used: boolean;
    arrived(): void;
    released: Promise<void>;
  }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const hold = holds.find((h) => !h.used && h.match(body.toString('utf8')));
        if (hold) {
          hold.used = true;
          hold.arrived();
          await hold.released;
        }
        // The caller gave up while its request was held (its socket is gone): nothing to forward.
        if (res.destroyed || req.socket.destroyed) return;
        const upstream = http.request(
          new URL(req.url ?? '/', target),
          { method: req.method, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      })();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Holds the next request whose body matches; `arrived` resolves once it is held. */
    hold(match: (body: string) => boolean) {
      const arrivedGate = gate();
      const releaseGate = gate();
      holds.push({ match, used: false, arrived: arrivedGate.open, released: releaseGate.promise });
      return { arrived: arrivedGate.promise, release: releaseGate.open };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  after(() => proxy.close());
  return proxy;
}
