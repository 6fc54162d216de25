// The signal proof's stack, shared by test/campaigns/signal.test.ts and bench/signal.ts: one
// database with the 11 catalog personas, two gateways on it — the product as it is, and the same
// product with GATEWAY_FAULTS — and a worker for each on its own task queue. A campaign started on
// the faulty queue runs every trial against the faulty gateway.
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Database } from '../../lib/db/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { DEFAULT_CATALOG, loadCatalog } from '../../lib/personas/catalog.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { resolveKek } from '../../lib/demo-product/kek.ts';
import { startCampaign } from '../../lib/campaigns/start-campaign.ts';
import { loadCampaignData, type CampaignData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS, type Comparison } from '../../lib/verdicts/compare.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { startGateway } from '../../mcp-gateway/server.ts';
import { buildActivityDeps } from '../../workers/build-deps.ts';
import { freshDatabase, testLogger } from './database.ts';
import { TEST_SECRET_ENV, TEST_SEED_SECRET } from './secrets.ts';
import { requireTemporalAddress } from './temporal.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { bundleWorkflows, createTickWorker } from '../../workers/tick-worker.ts';

export const BROKEN_TOOL = 'todo_complete';

export interface SignalStack {
  /** Runs a campaign of the catalog personas to its end; returns its id. */
  campaign(label: string, opts: { faulty?: boolean; seedBase?: string; trials?: number }): Promise<string>;
  compare(baseline: string, candidate: string): Promise<Comparison>;
  load(campaign: string): Promise<CampaignData>;
  stop(): Promise<void>;
}

export async function startSignalStack(opts: {
  database: Database;
  client: Client;
  temporalAddress: string;
  namespace?: string;
  logger: Logger;
  faults?: string;
  concurrency?: number;
}): Promise<SignalStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const { db } = opts.database;
  const bundle = await bundleWorkflows();
  const native = await NativeConnection.connect({ address: opts.temporalAddress });
  stops.unshift(() => native.close());
  const lane = async (faults: string | undefined) => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      ...TEST_SECRET_ENV,
      ...(faults && { GATEWAY_FAULTS: faults }),
    });
    const gateway = await startGateway(config, opts.logger, { database: opts.database });
    stops.unshift(() => gateway.close());
    const deps = buildActivityDeps(
      loadWorkerConfig({
        GATEWAY_URL: gateway.url,
        LLM_PROVIDER: 'scripted',
        LOG_LEVEL: 'silent',
        ...TEST_SECRET_ENV,
      }),
      db,
      opts.logger,
    );
    const taskQueue = `signal-${randomUUID()}`;
    const worker: Worker = await createTickWorker({
      connection: native,
      namespace: opts.namespace ?? 'default',
      taskQueue,
      deps,
      workflowBundle: bundle,
    });
    const running = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await running;
      await deps.sessions.close();
    });
    return { taskQueue, kek: resolveKek(config) };
  };
  try {
    const healthy = await lane(undefined);
    const faulty = await lane(opts.faults ?? JSON.stringify({ [BROKEN_TOOL]: { errorRate: 1 } }));
    await seedPersonas(db, healthy.kek, TEST_SEED_SECRET, await loadCatalog(DEFAULT_CATALOG));
    const catalogEmails = new Set((await loadCatalog(DEFAULT_CATALOG)).map((p) => p.email));
    const personas = (await livePersonas(db)).filter((p) => catalogEmails.has(p.email));
    return {
      async campaign(label, c) {
        const handle = await startCampaign(opts.client, {
          label,
          personas,
          taskQueue: c.faulty ? faulty.taskQueue : healthy.taskQueue,
          trials: c.trials ?? 3,
          concurrency: opts.concurrency ?? 6,
          seedBase: c.seedBase ?? 'default',
        });
        await handle.result();
        return handle.workflowId;
      },
      async compare(baseline, candidate) {
        const [a, b] = await Promise.all([loadCampaignData(db, baseline), loadCampaignData(db, candidate)]);
        return compareCampaigns(a, b, DEFAULT_COMPARE_OPTIONS);
      },
      load: (campaign) => loadCampaignData(db, campaign),
      async stop() {
        for (const s of stops.splice(0)) await s().catch(() => {});
      },
    };
  } catch (err) {
    for (const s of stops.splice(0)) await s().catch(() => {});
    throw err;
  }
}

/**
 * For a test file: the signal stack on a fresh database and `npm test`'s Temporal, with `faults` on
 * its faulty lane; stopped when the file ends. Returns the stack and the database (for the CLI's
 * DATABASE_URL and direct queries).
 */
export async function startTestSignalStack(faults: string) {
  const address = requireTemporalAddress();
  const database = await freshDatabase();
  const connection = await Connection.connect({ address });
  const stack = await startSignalStack({
    database,
    client: new Client({ connection }),
    temporalAddress: address,
    logger: testLogger,
    faults,
  });
  after(async () => {
    await stack.stop();
    await connection.close();
  });
  return { stack, database };
}
