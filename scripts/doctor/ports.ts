// The ports `personas up` listens on: each free, or taken by persona-runner itself (a running `up`,
// gateway, dashboard or worker answers like one; a Temporal dev server or our embedded Postgres is
// attached to, not started twice). Anything else on them is a start-up failure waiting to happen.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { reachable } from '../../lib/temporal/dev-server.ts';
import { fail, pass, type CheckResult } from './check.ts';

export interface PortSpec {
  name: string;
  port: number;
  /** The variable that moves it. */
  env: string;
  /** Whether what listens there is ours. */
  ours(port: number): Promise<boolean>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function answers(port: number, pathname: string, looksOurs: (status: number, body: string) => boolean) {
  try {
    // Aborted, not just abandoned: a program that accepts and never answers must not keep us open.
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(2000) });
    return looksOurs(res.status, await res.text());
  } catch {
    return false;
  }
}

/** The port in a running embedded Postgres's pid file (line 4), if any. */
async function embeddedPgPort(dataDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
  const port = Number(text.split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

export function defaultPorts(env: NodeJS.ProcessEnv, dataDir: string): PortSpec[] {
  const num = (name: string, fallback: number) => Number(env[name]?.trim() || fallback);
  const temporalPort = num('TEMPORAL_DEV_PORT', 7233);
  return [
    {
      name: 'gateway',
      port: num('GATEWAY_PORT', 3069),
      env: 'GATEWAY_PORT',
      ours: (p) => answers(p, '/health', (_s, b) => /"policyMode"/.test(b)),
    },
    {
      name: 'dashboard',
      port: num('DASHBOARD_PORT', 3070),
      env: 'DASHBOARD_PORT',
      ours: (p) => answers(p, '/doctor-probe', (s, b) => s === 404 && b.includes('try /, /ticks')),
    },
    {
      name: 'worker metrics',
      port: num('WORKER_METRICS_PORT', 9464),
      env: 'WORKER_METRICS_PORT',
      ours: (p) => answers(p, '/nope', (_s, b) => b.includes('"/metrics"')),
    },
    ...(env.TEMPORAL_ADDRESS?.trim()
      ? []
      : [
          {
            name: 'temporal',
            port: temporalPort,
            env: 'TEMPORAL_DEV_PORT',
            ours: (p: number) => reachable(`127.0.0.1:${p}`),
          },
          {
            name: 'temporal ui',
            port: num('TEMPORAL_UI_PORT', 8233),
            env: 'TEMPORAL_UI_PORT',
            ours: () => reachable(`127.0.0.1:${temporalPort}`),
          },
        ]),
    ...(env.DATABASE_URL?.trim()
      ? []
      : [
          {
            name: 'embedded postgres',
            port: num('EMBEDDED_PG_PORT', 54329),
            env: 'EMBEDDED_PG_PORT',
            ours: async (p: number) => (await embeddedPgPort(dataDir)) === p,
          },
        ]),
  ];
}

export async function checkPort(spec: PortSpec): Promise<CheckResult> {
  const name = `port ${spec.port}`;
  if (await isFree(spec.port)) return pass(name, `${spec.name}: free`);
  if (await spec.ours(spec.port)) return pass(name, `${spec.name}: in use by persona-runner (reused)`);
  return fail(
    name,
    `${spec.name}: in use by another program`,
    `stop what listens there (lsof -i :${spec.port}) or move ours: ${spec.env}=<another port>`,
  );
}
