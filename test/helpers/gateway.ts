// node:test wrapper of test/support/gateway.ts: the gateway and its clients closed when the scope ends.
import { after } from 'node:test';
import type { ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';
import { startSupportGateway, type SupportGateway } from '../support/gateway.ts';
import { freshDatabase } from './db.ts';

export type TestGateway = SupportGateway;

/**
 * A real gateway over real HTTP on a random port, on a fresh database. Closed when the enclosing
 * scope ends: the file (top-level await), a describe() or a test(). Not from a before() hook: node:test
 * would close it as soon as the hook returns.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  opts: { registry?: readonly ToolSpec[]; connectVia?: (url: string) => Promise<string> } = {},
): Promise<TestGateway> {
  const database = await freshDatabase({ connectVia: opts.connectVia });
  const gateway = await startSupportGateway(database, { env, registry: opts.registry });
  after(() => gateway.close());
  return gateway;
}
