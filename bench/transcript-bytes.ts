// Stored transcript bytes per tick: what `persona_transcript` costs, to size TRANSCRIPT_RETENTION_DAYS.
//
//   node --import tsx bench/transcript-bytes.ts             40 ticks per scenario (~3 min)
//   options: --ticks N --rounds N (Anthropic-shaped tool rounds, default 5) --parallel N (default 2)
//            --out FILE
//
// What runs (one process): a fresh database, an in-memory Temporal dev server, the real gateway and a
// real worker, as bench/tick-efficiency.ts sets them up. Two scenarios, one at a time, each on its own
// fresh database so the relation sizes are the scenario's alone:
//   scripted   the offline scripted provider, personas with the catalog's module mixes
//   anthropic  the real AnthropicProvider against bench/fake-model-api.ts (no delay): `rounds` rounds of
//              `parallel` tool_use blocks (the plan tick-efficiency uses), end_turn, the rating
// Per tick, from Postgres (a size, not a time: the machine's load does not change it):
//   parts           rows in persona_transcript
//   content bytes   Σ pg_column_size(content): the sealed jsonb as stored
//   plain bytes     Σ length of the opened parts' JSON: what the same parts hold in plaintext
//   disk bytes      growth of the table's heap + TOAST + its three indexes (main forks, 8 kB pages)
//                   over the ticks ÷ ticks; page fill included, hence many ticks
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AnthropicProvider } from '../activities/llm/anthropic-provider.ts';
import type { LlmProvider } from '../activities/llm/types.ts';
import { openTranscriptPart, vaultTranscriptKey } from '../lib/ticks/transcript-seal.ts';
import { loadCatalog } from '../lib/personas/catalog.ts';
import { upsertPersona } from '../lib/personas/upsert-persona.ts';
import { connectWorker } from '../lib/temporal/connect.ts';
import { loadGatewayConfig } from '../mcp-gateway/config.ts';
import { startGateway } from '../mcp-gateway/server.ts';
import type { personaTick } from '../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../workflows/tick-contract.ts';
import { buildActivityDeps } from '../workers/build-deps.ts';
import { loadWorkerConfig } from '../workers/config.ts';
import { bundleWorkflows, createTickWorker } from '../workers/tick-worker.ts';
import { fmt, machineInfo, table, writeResults } from './bench-report.ts';
import { startBenchStack } from './bench-stack.ts';
import { plannedAnswer, startFakeModelApi } from './fake-model-api.ts';
import { TEST_SEED_SECRET, TEST_KEK, TEST_SECRET_ENV } from '../test/helpers/secrets.ts';

const { values: flags } = parseArgs({
  options: {
    ticks: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '5' },
    parallel: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const settings = {
  ticks: Number(flags.ticks),
  rounds: Number(flags.rounds),
  parallel: Number(flags.parallel),
};
for (const [k, v] of Object.entries(settings))
  if (!Number.isInteger(v) || v < 1 || v > 200) throw new Error(`--${k}: expected 1..200, got ${v}`);
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Scenario {
  scenario: string;
  ticks: number;
  partsPerTick: number;
  contentBytesPerTick: number;
  plainBytesPerTick: number;
  diskBytesPerTick: number;
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const stack = await startBenchStack({ name: 'transcript-bytes' });
try {
  const native = await connectWorker(stack.temporal);
  stack.onStop(() => native.close());
  const workflowBundle = await bundleWorkflows();
  const catalog = await loadCatalog();
  const fake = await startFakeModelApi({ delayMs: 0, answer: plannedAnswer(settings) });
  stack.onStop(() => fake.close());
  const anthropic = new AnthropicProvider('claude-sonnet-4-6', { apiKey: 'sk-ant-bench', baseURL: fake.url });

  async function measure(scenario: string, llm: LlmProvider | undefined): Promise<Scenario> {
    const database = await stack.freshDatabase(16);
    const gatewayConfig = loadGatewayConfig({
      ...TEST_SECRET_ENV,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      POLICY_RATE_LIMIT: '100000',
    });
    const gateway = await startGateway(gatewayConfig, stack.logger, { database });
    const kek = TEST_KEK;
    const workerConfig = loadWorkerConfig({
      ...TEST_SECRET_ENV,
      GATEWAY_URL: gateway.url,
      LLM_PROVIDER: 'scripted',
      LOG_LEVEL: 'silent',
    });
    const deps = buildActivityDeps(workerConfig, database.db, stack.logger, llm ? { llm } : {});
    const taskQueue = `bench-${randomUUID()}`;
    const worker = await createTickWorker({
      connection: native,
      namespace: stack.temporal.namespace,
      taskQueue,
      deps,
      workflowBundle,
    });
    const running = worker.run();
    const diskSize = async () =>
      Number(
        (
          await database.pool.query<{ bytes: string }>(
            `SELECT pg_relation_size(c.oid) + coalesce(pg_relation_size(NULLIF(c.reltoastrelid, 0)), 0)
                    + (SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i WHERE i.indrelid = c.oid)
                    AS bytes
               FROM pg_class c WHERE c.oid = 'persona_transcript'::regclass`,
          )
        ).rows[0]!.bytes,
      );
    try {
      const emptySize = await diskSize();
      const personas = [];
      for (const def of catalog.slice(0, Math.min(5, settings.ticks)))
        personas.push(await upsertPersona(database.db, kek, TEST_SEED_SECRET, def));
      for (let i = 0; i < settings.ticks; i++) {
        const { personaId } = personas[i % personas.length]!;
        await stack.client.workflow.execute<typeof personaTick>(TICK_WORKFLOW, {
          taskQueue,
          workflowId: `bench-bytes-${randomUUID()}`,
          args: [{ personaId }],
        });
      }
      const rows = (
        await database.pool.query<{ user_id: string; content: unknown; size: number }>(
          `SELECT p.user_id, t.content, pg_column_size(t.content) AS size
             FROM persona_transcript t JOIN persona_ticks k ON k.id = t.tick_id JOIN personas p ON p.id = k.persona_id`,
        )
      ).rows;
      let plain = 0;
      const keys = new Map<string, Awaited<ReturnType<typeof vaultTranscriptKey>>>();
      for (const r of rows) {
        if (!keys.has(r.user_id)) keys.set(r.user_id, await vaultTranscriptKey(database.db, kek, r.user_id));
        const opened = openTranscriptPart(r.content, keys.get(r.user_id));
        if (opened.state === 'withheld') throw new Error('a part could not be opened');
        plain += Buffer.byteLength(JSON.stringify(opened.content));
      }
      const disk = (await diskSize()) - emptySize;
      const n = settings.ticks;
      return {
        scenario,
        ticks: n,
        partsPerTick: rows.length / n,
        contentBytesPerTick: rows.reduce((s, r) => s + r.size, 0) / n,
        plainBytesPerTick: plain / n,
        diskBytesPerTick: disk / n,
      };
    } finally {
      worker.shutdown();
      await running;
      await deps.sessions.close();
      await gateway.close();
      await database.drop();
    }
  }

  const results: Scenario[] = [];
  say(`scripted: ${settings.ticks} ticks…`);
  results.push(await measure('scripted', undefined));
  say(
    `anthropic-shaped: ${settings.ticks} ticks of ${settings.rounds} rounds × ${settings.parallel} tool calls…`,
  );
  results.push(await measure('anthropic', anthropic));

  const perDay = (bytes: number) => (bytes * 10_000 * 24) / 1e9;
  say(
    table(
      [
        'scenario',
        'parts/tick',
        'sealed content B/tick',
        'plaintext JSON B/tick',
        'on disk B/tick',
        'GB/day at 10,000 hourly',
      ],
      results.map((r) => [
        r.scenario,
        fmt(r.partsPerTick, 1),
        fmt(r.contentBytesPerTick, 0),
        fmt(r.plainBytesPerTick, 0),
        fmt(r.diskBytesPerTick, 0),
        fmt(perDay(r.diskBytesPerTick), 1),
      ]),
    ),
  );
  const file = writeResults(
    'transcript-bytes',
    false,
    { machine: machineInfo(), settings, results },
    flags.out,
  );
  say(`results: ${file}`);
} finally {
  await stack.stop();
}
