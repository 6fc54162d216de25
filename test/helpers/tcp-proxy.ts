import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/**
 * A TCP proxy a test can cut and restore, to take a server (Postgres) away from the processes under
 * test without stopping it for everyone else on the machine. `cut()` drops every open connection
 * (as a server restart does: clients see "Connection terminated") and refuses new ones by closing
 * them at once; `restore()` lets connections through again.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  let cut = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    if (cut) {
      inbound.destroy();
      return;
    }
    const outbound = net.connect(targetPort, targetHost);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        open.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxy = {
    port: (server.address() as AddressInfo).port,
    /** `url` with its host and port replaced by the proxy's. */
    rewrite(url: string): string {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxy.port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const s of open) s.destroy();
    },
    restore() {
      cut = false;
    },
  };
  // Hooks run in the order they were registered, so the database that goes through this proxy is
  // closed after this one: keep forwarding until its pool has ended, and only stop accepting. The
  // server is unref'd, so the connections it still carries do not hold the process open.
  after(() => {
    proxy.restore();
    server.close();
    server.unref();
  });
  return proxy;
}
