import { z } from 'zod';
import { baseEnvShape, toBaseConfig } from '../lib/config/base.ts';
import { envList, parseEnv } from '../lib/config/env.ts';
import { resolveServiceToken } from '../lib/config/service-tokens.ts';
import { isLoopbackBind, LOOPBACK_HOSTS } from '../lib/http/request-guards.ts';

const dashboardEnvShape = {
  ...baseEnvShape,
  // Host names the dashboard answers to (DNS-rebinding defence); add the name you browse it under.
  DASHBOARD_ALLOWED_HOSTS: envList([...LOOPBACK_HOSTS]),
  DASHBOARD_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
};

export interface DashboardAccess {
  allowedHosts: string[];
  /** Demanded on every page (Bearer, or the password of the browser's login prompt) when set. */
  token: string | undefined;
}

/**
 * Who may read the dashboard (it shows emails, rating notes and opened transcripts): loopback
 * names only by default; listening beyond loopback needs a token — DASHBOARD_TOKEN, or in
 * development one generated into the data dir (`secrets/dashboard-token`). Production demands it.
 */
export function loadDashboardAccess(
  listenHost: string,
  env: NodeJS.ProcessEnv = process.env,
): DashboardAccess {
  const e = parseEnv(dashboardEnvShape, env, 'the dashboard');
  const base = toBaseConfig(e);
  const token =
    e.DASHBOARD_TOKEN ??
    (isLoopbackBind(listenHost)
      ? undefined
      : resolveServiceToken({
          configured: undefined,
          production: base.production,
          dataDir: base.dataDir,
          file: 'dashboard-token',
          variable: 'DASHBOARD_TOKEN',
          why: `the dashboard listens beyond loopback (--host ${listenHost})`,
        }));
  return { allowedHosts: e.DASHBOARD_ALLOWED_HOSTS, token };
}
