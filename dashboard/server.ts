import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { checkRequest, isLoopbackBind, LOOPBACK_HOSTS } from '../lib/http/request-guards.ts';
import { DEFAULT_DAYS, loadDashboardData, normalizeDays, type DashboardData } from './queries.ts';
import { renderDashboard, temporalWorkflowUrl } from './render.ts';
import { loadPersonaDetail } from './persona-detail.ts';
import { renderPersonaPage } from './persona-page.ts';
import { loadTickDetail, type OpenPart } from './tick-detail.ts';
import { vaultPartOpener } from './open-transcript.ts';
import { renderTickPage } from './tick-page.ts';
import { parseTickFilter, recentTicks, type RecentTick } from './ticks-query.ts';
import { filterChoices, renderTicksPage } from './ticks-page.ts';

import { CampaignNotFound, loadCampaignData } from '../lib/verdicts/campaign-data.ts';
import { compareCampaigns } from '../lib/verdicts/compare.ts';
import { loadCampaignList, renderCampaignsPage } from './campaigns-page.ts';
import { renderComparePage } from './compare-page.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DEFAULT_DASHBOARD_PORT = 3070;

export interface DashboardOptions {
  db: Db;
  /** 0 picks a free port (default 3070). */
  port?: number;
  /** Default 127.0.0.1: the dashboard has no authentication, so it stays on this machine unless asked. */
  host?: string;
  /** The Temporal Web UI base URL; workflow ids link into it when set. */
  temporalUiUrl?: string | undefined;
  namespace?: string | undefined;
  /** Default range in days when the request has no ?days= (default 14). */
  days?: number;
  /** Meta-refresh interval of the HTML page in seconds (default 10; 0 off; ?refresh= overrides). */
  refreshSeconds?: number;
  /**
   * The key-encryption key: the tick page opens sealed transcript parts with the persona's vault key,
   * server-side. Without it, those parts are shown as withheld.
   */
  kek?: Buffer;
  /** Host names it answers to (DNS-rebinding defence); default loopback names. */
  allowedHosts?: readonly string[];
  /** Demanded on every route when set; required when `host` is beyond loopback (dashboard/config.ts). */
  token?: string | undefined;
  /** Overrides how transcript parts are opened (tests). */
  openTranscriptPart?: OpenPart;
}

/** The body of GET /api/summary.json: the page's data, plus where workflow links point. */
export interface DashboardSummaryJson extends Omit<DashboardData, 'recentTicks'> {
  temporal: { uiUrl: string | null; namespace: string };
  recentTicks: Array<RecentTick & { temporalUrl: string | null }>;
}

export interface DashboardHandle {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

// No scripts at all, no external anything: styles and the SVG chart are inline.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves the results dashboard over node:http: `GET /` (HTML), `GET /api/summary.json` (the same data
 * as JSON, with Web UI links), `GET /health`. Accepts `?days=N` (1–366) on both data routes.
 */
export async function startDashboard(opts: DashboardOptions): Promise<DashboardHandle> {
  const { db } = opts;
  const host = opts.host ?? '127.0.0.1';
  const defaultDays = normalizeDays(opts.days ?? DEFAULT_DAYS);
  const openPart = opts.openTranscriptPart ?? vaultPartOpener(db, opts.kek);
  if (!isLoopbackBind(host) && !opts.token)
    throw new Error(`dashboard: listening on ${host} (beyond loopback) needs a token (DASHBOARD_TOKEN)`);
  const guard = {
    allowedHosts: opts.allowedHosts ?? LOOPBACK_HOSTS,
    token: opts.token,
    names: { hosts: 'DASHBOARD_ALLOWED_HOSTS', token: 'DASHBOARD_TOKEN' },
    realm: 'persona-runner dashboard',
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Emails, rating notes and opened transcripts: only for a known Host (and the token when set).
    const rejection = checkRequest(req, guard);
    if (rejection) {
      for (const [k, v] of Object.entries(rejection.headers)) res.setHeader(k, v);
      return send(res, req, rejection.status, 'text/plain; charset=utf-8', `${rejection.message}\n`);
    }
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    const days = normalizeDays(url.searchParams.get('days') ?? undefined, defaultDays);
    const html = (status: number, body: string) => send(res, req, status, 'text/html; charset=utf-8', body);
    const notFound = (what: string) =>
      send(res, req, 404, 'text/plain; charset=utf-8', `not found: ${what}\n`);
    const links = { temporalUiUrl: opts.temporalUiUrl, namespace: opts.namespace };
    const tickMatch = /^\/ticks\/([^/]+)$/.exec(url.pathname);
    if (tickMatch) {
      const id = decodeURIComponent(tickMatch[1]!);
      const tick = await loadTickDetail(db, id, openPart);
      return tick ? html(200, renderTickPage(tick, links)) : notFound(`no tick ${id}`);
    }
    const personaMatch = /^\/personas\/([^/]+)$/.exec(url.pathname);
    if (personaMatch) {
      const id = decodeURIComponent(personaMatch[1]!);
      const persona = UUID.test(id) ? await loadPersonaDetail(db, id, { days }) : undefined;
      return persona ? html(200, renderPersonaPage(persona, links)) : notFound(`no persona ${id}`);
    }
    switch (url.pathname) {
      case '/ticks': {
        const { filter, problems } = parseTickFilter(url.searchParams);
        const [ticks, choices] = await Promise.all([recentTicks(db, 200, filter), filterChoices(db)]);
        return html(problems.length ? 400 : 200, renderTicksPage(ticks, filter, choices, problems, links));
      }
      case '/campaigns':
        return html(200, renderCampaignsPage(await loadCampaignList(db)));
      case '/compare': {
        const [baseline, candidate] = ['baseline', 'candidate'].map(
          (k) => url.searchParams.get(k)?.trim() ?? '',
        );
        if (!baseline || !candidate)
          return send(
            res,
            req,
            400,
            'text/plain; charset=utf-8',
            'compare needs ?baseline=…&candidate=… (campaign ids or labels)\n',
          );
        try {
          const [a, b] = await Promise.all([loadCampaignData(db, baseline), loadCampaignData(db, candidate)]);
          return html(200, renderComparePage(compareCampaigns(a, b)));
        } catch (err) {
          if (err instanceof CampaignNotFound) return notFound(err.message);
          throw err;
        }
      }
      case '/': {
        const data = await loadDashboardData(db, { days });
        const refreshParam = url.searchParams.get('refresh');
        const refreshSeconds =
          refreshParam !== null && /^\d{1,4}$/.test(refreshParam)
            ? Number(refreshParam)
            : opts.refreshSeconds;
        const page = renderDashboard(data, {
          temporalUiUrl: opts.temporalUiUrl,
          namespace: opts.namespace,
          refreshSeconds,
        });
        return send(res, req, 200, 'text/html; charset=utf-8', page);
      }
      case '/api/summary.json': {
        const data = await loadDashboardData(db, { days });
        const body: DashboardSummaryJson = {
          ...data,
          temporal: { uiUrl: opts.temporalUiUrl ?? null, namespace: opts.namespace ?? 'default' },
          recentTicks: data.recentTicks.map((t) => ({
            ...t,
            temporalUrl: temporalWorkflowUrl(opts.temporalUiUrl, opts.namespace, t.workflowId) ?? null,
          })),
        };
        return send(res, req, 200, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`);
      }
      case '/health': {
        try {
          await db.execute(sql`SELECT 1`);
          return send(res, req, 200, 'application/json; charset=utf-8', '{"status":"ok"}\n');
        } catch (err) {
          return send(
            res,
            req,
            503,
            'application/json; charset=utf-8',
            `${JSON.stringify({ status: 'unavailable', error: (err as Error).message })}\n`,
          );
        }
      }
      default:
        return notFound('try /, /ticks, /ticks/<id>, /personas/<id> or /api/summary.json');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      // drizzle wraps driver errors ("Failed query: …"); the cause says what actually went wrong.
      const e = err as Error;
      const cause = e.cause instanceof Error ? `\ncause: ${e.cause.message}` : '';
      send(res, req, 500, 'text/plain; charset=utf-8', `dashboard error: ${e.message}${cause}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `dashboard: port ${opts.port ?? DEFAULT_DASHBOARD_PORT} on ${host} is already in use (pass another --port, or 0 for any free port)`,
              { cause: err },
            )
          : err,
      );
    server.once('error', onError);
    server.listen(opts.port ?? DEFAULT_DASHBOARD_PORT, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections (browsers, fetch) would hold close() open until they idle out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
