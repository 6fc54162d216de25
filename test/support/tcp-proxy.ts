import { after } from 'node:test';
import { startTcpProxy as start } from '../../lib/net/tcp-proxy.ts';

/**
 * A cuttable TCP proxy (lib/net/tcp-proxy.ts) closed after the test file. Hooks run in the order
 * they were registered, so the database that goes through this proxy is closed after this one: keep
 * forwarding until its pool has ended, and only stop accepting.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  const proxy = await start(targetHost, targetPort);
  after(() => proxy.close());
  return proxy;
}
