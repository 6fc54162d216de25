// A Claude tick env (tick-env.ts) whose worker reaches the gateway and/or Postgres through proxies a
// test controls: the gateway through a holding proxy (hold a call in flight, restart the gateway
// under it), Postgres through a TCP proxy (cut it, restore it) — the outage and restart tests' rig.
import { PersonaSessions } from '../../activities/mcp/persona-sessions.ts';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { startHoldingProxy } from './holding-proxy.ts';
import { TEST_SEED_SECRET } from './secrets.ts';
import { startTcpProxy } from './tcp-proxy.ts';
import { DEFAULT_PERSONA } from './fixtures.ts';
import { startClaudeTickEnv } from './tick-env.ts';

type ClaudeTickEnvOptions = NonNullable<Parameters<typeof startClaudeTickEnv>[0]>;

export async function startProxiedTickEnv(
  opts: ClaudeTickEnvOptions & { gatewayProxy?: boolean; postgresProxy?: boolean },
) {
  const { gatewayProxy: viaGatewayProxy, postgresProxy: viaPostgresProxy, ...envOpts } = opts;
  // The worker's MCP sessions read the gateway's address on every connect: it is the proxy's, which
  // can only start once the gateway has (the env starts them both).
  let proxyUrl = '';
  const sessions = viaGatewayProxy
    ? new PersonaSessions({
        gatewayUrl: { toString: () => proxyUrl } as unknown as string,
        credentials: async () => ({
          email: DEFAULT_PERSONA.email,
          password: derivePersonaPassword(TEST_SEED_SECRET, DEFAULT_PERSONA.email),
        }),
      })
    : undefined;
  let pg: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  const { fake, env } = await startClaudeTickEnv({
    ...envOpts,
    overrides: { ...envOpts.overrides, ...(sessions && { sessions }) },
    ...(viaPostgresProxy && {
      connectVia: async (url: string) => {
        const u = new URL(url);
        pg = await startTcpProxy(u.hostname, Number(u.port || 5432));
        return pg.rewrite(url);
      },
    }),
  });
  const gatewayProxy = viaGatewayProxy ? await startHoldingProxy(env.gw.url) : undefined;
  if (gatewayProxy) proxyUrl = gatewayProxy.url;
  return { fake, env, gatewayProxy, pg };
}
