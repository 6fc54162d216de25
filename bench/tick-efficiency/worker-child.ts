// One tick worker in a process of its own, for scenario (b): `personas worker` as it runs in
// production (startTickWorker: createTickWorker + buildActivityDeps; its own Postgres pool of 16), with the scripted
// provider. Started by worker-process.ts with its settings in PR_BENCH_WORKER (JSON); it samples its
// resident memory and answers the parent over IPC: 'reset' (peak := now), 'sample' → { rssPeak, rss,
// cpuS }, 'stop' (shut down and exit).
import { readFile } from 'node:fs/promises';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { ScriptedProvider } from '../../activities/llm/scripted-provider.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { createLogger } from '../../lib/logger.ts';
import { startTickWorker } from '../../test/support/tick-worker.ts';

export interface ChildSettings {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  gatewayUrl: string;
  taskQueue: string;
  /** The parent's workflow bundle (one webpack build for every worker). */
  bundleFile: string;
}

export interface ChildSample {
  rssPeakMiB: number;
  rssMiB: number;
  cpuS: number;
}

// The SDK's own INFO lines (worker state changes) would drown the benchmark's output.
Runtime.install({ logger: new DefaultLogger('WARN') });
const settings = JSON.parse(process.env.PR_BENCH_WORKER ?? '') as ChildSettings;
const logger = createLogger('bench-worker', 'warn');
const database = await openDatabase({ ...loadBaseConfig({}), databaseUrl: settings.databaseUrl }, logger, {
  poolSize: 16,
});
const connection = await NativeConnection.connect({ address: settings.temporalAddress });
// Built as `personas worker` builds it (test/support/tick-worker.ts), on the parent's workflow bundle.
const worker = await startTickWorker({
  native: connection,
  namespace: settings.namespace,
  db: database.db,
  gatewayUrl: settings.gatewayUrl,
  taskQueue: settings.taskQueue,
  overrides: { llm: new ScriptedProvider({ seed: 'bench' }) },
  logger,
  workflowBundle: JSON.parse(await readFile(settings.bundleFile, 'utf8')) as WorkflowBundleWithSourceMap,
});

const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const send = (msg: unknown) => process.send?.(msg);

process.on('message', (msg: string) => {
  if (msg === 'reset') peak = process.memoryUsage.rss();
  if (msg === 'sample') {
    const rss = process.memoryUsage.rss();
    const cpu = process.cpuUsage();
    peak = Math.max(peak, rss);
    send({ rssPeakMiB: mib(peak), rssMiB: mib(rss), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2) });
  }
  if (msg === 'stop') {
    clearInterval(sampler);
    void worker
      .stop()
      .then(() => database.close())
      .then(() => connection.close())
      .finally(() => process.exit(0));
  }
});
send('ready');
