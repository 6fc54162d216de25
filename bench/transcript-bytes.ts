// Stored transcript bytes per tick: what `persona_transcript` costs, to size TRANSCRIPT_RETENTION_DAYS.
//
//   node --import tsx bench/transcript-bytes.ts             40 ticks per scenario (~3 min)
//   node --import tsx bench/transcript-bytes.ts --quick     5 ticks per scenario (writes a git-ignored .tmp.json)
//   options: --ticks N --rounds N (Anthropic-shaped tool rounds, default 5) --parallel N (default 2)
//            --out FILE
//
// What runs (one process): a fresh database, an in-memory Temporal dev server, the real gateway and a
// real worker (test/support). Two scenarios, one at a time, each on its own
// fresh database so the relation sizes are the scenario's alone:
//   scripted   the offline scripted provider, personas with the catalog's module mixes
//   anthropic  the real AnthropicProvider against the fake Messages API (no delay): `rounds` rounds of
//              `parallel` tool_use blocks (the plan tick-efficiency uses), end_turn, the rating
// Per tick, from Postgres (a size, not a time: the machine's load does not change it):
//   parts           rows in persona_transcript
//   content bytes   Σ pg_column_size(content): the sealed jsonb as stored
//   plain bytes     Σ length of the opened parts' JSON: what the same parts hold in plaintext
//   disk bytes      growth of the table's heap + TOAST + its three indexes (main forks, 8 kB pages)
//                   over the ticks ÷ ticks; page fill included, hence many ticks
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AnthropicProvider } from '../activities/llm/anthropic-provider.ts';
import type { LlmProvider } from '../activities/llm/types.ts';
import { loadCatalog } from '../lib/personas/catalog.ts';
import { TEST_SEED_SECRET } from '../test/support/secrets.ts';
import { upsertPersona } from '../lib/personas/upsert-persona.ts';
import { openTranscriptPart, vaultTranscriptKey } from '../lib/ticks/transcript-seal.ts';
import type { personaTick } from '../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../workflows/tick-contract.ts';
import { fmt, machineInfo, table, writeResults } from './bench-report.ts';
import { benchFlags, intFlag } from './settings.ts';
import type { ScratchDatabase } from '../test/support/database.ts';
import { startFakeMessagesApi } from '../test/support/fake-messages-api.ts';
import { BENCH_USAGE, plannedAnswer } from '../test/support/fake-steps.ts';
import { startSupportGateway } from '../test/support/gateway.ts';
import { startStack, type Stack } from '../test/support/stack.ts';
import { startTickWorker } from '../test/support/tick-worker.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

function parseSettings() {
  const flags = benchFlags(process.argv.slice(2), {
    ticks: { type: 'string' },
    rounds: { type: 'string' },
    parallel: { type: 'string' },
  });
  return {
    quick: flags.quick,
    out: flags.out,
    recorded: {
      ticks: intFlag(flags.ticks, flags.quick ? 5 : 40, 'ticks', 1, 200),
      rounds: intFlag(flags.rounds, 5, 'rounds', 1, 200),
      parallel: intFlag(flags.parallel, 2, 'parallel', 1, 200),
    },
  };
}
type Settings = ReturnType<typeof parseSettings>['recorded'];

interface Scenario {
  scenario: string;
  ticks: number;
  partsPerTick: number;
  contentBytesPerTick: number;
  plainBytesPerTick: number;
  diskBytesPerTick: number;
}

/** Heap + TOAST + indexes of persona_transcript, in bytes (main forks). */
async function transcriptDiskSize(database: ScratchDatabase): Promise<number> {
  const { rows } = await database.pool.query<{ bytes: string }>(
    `SELECT pg_relation_size(c.oid) + coalesce(pg_relation_size(NULLIF(c.reltoastrelid, 0)), 0)
            + (SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i WHERE i.indrelid = c.oid)
            AS bytes
       FROM pg_class c WHERE c.oid = 'persona_transcript'::regclass`,
  );
  return Number(rows[0]!.bytes);
}

/** Sealed and plaintext bytes of every stored part (each opened with its persona's vault key). */
async function transcriptBytes(database: ScratchDatabase, kek: Buffer) {
  const { rows } = await database.pool.query<{ user_id: string; content: unknown; size: number }>(
    `SELECT p.user_id, t.content, pg_column_size(t.content) AS size
       FROM persona_transcript t JOIN persona_ticks k ON k.id = t.tick_id JOIN personas p ON p.id = k.persona_id`,
  );
  let plain = 0;
  const keys = new Map<string, Awaited<ReturnType<typeof vaultTranscriptKey>>>();
  for (const r of rows) {
    if (!keys.has(r.user_id)) keys.set(r.user_id, await vaultTranscriptKey(database.db, kek, r.user_id));
    const opened = openTranscriptPart(r.content, keys.get(r.user_id));
    if (opened.state === 'withheld') throw new Error('a part could not be opened');
    plain += Buffer.byteLength(JSON.stringify(opened.content));
  }
  return { parts: rows.length, sealed: rows.reduce((s, r) => s + r.size, 0), plain };
}

/** One scenario on a fresh database of its own: the catalog's first personas tick `ticks` times. */
async function measure(
  stack: Stack,
  settings: Settings,
  scenario: string,
  llm?: LlmProvider,
): Promise<Scenario> {
  const database = await stack.freshDatabase(16);
  const gateway = await startSupportGateway(database, {
    env: { POLICY_RATE_LIMIT: '100000' },
    logger: stack.logger,
  });
  const worker = await startTickWorker({
    native: stack.native,
    namespace: stack.temporal.namespace,
    taskQueue: `bench-${randomUUID()}`,
    db: database.db,
    gatewayUrl: gateway.url,
    overrides: llm ? { llm } : {},
    logger: stack.logger,
  });
  try {
    const emptySize = await transcriptDiskSize(database);
    const personas = [];
    for (const def of (await loadCatalog()).slice(0, Math.min(5, settings.ticks)))
      personas.push(await upsertPersona(database.db, gateway.kek, TEST_SEED_SECRET, def));
    for (let i = 0; i < settings.ticks; i++) {
      await stack.client.workflow.execute<typeof personaTick>(TICK_WORKFLOW, {
        taskQueue: worker.taskQueue,
        workflowId: `bench-bytes-${randomUUID()}`,
        args: [{ personaId: personas[i % personas.length]!.personaId }],
      });
    }
    const bytes = await transcriptBytes(database, gateway.kek);
    const n = settings.ticks;
    return {
      scenario,
      ticks: n,
      partsPerTick: bytes.parts / n,
      contentBytesPerTick: bytes.sealed / n,
      plainBytesPerTick: bytes.plain / n,
      diskBytesPerTick: ((await transcriptDiskSize(database)) - emptySize) / n,
    };
  } finally {
    await worker.stop();
    await gateway.close();
    await database.drop();
  }
}

function printResults(results: Scenario[]): void {
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
}

async function main(): Promise<void> {
  const { quick, out, recorded: settings } = parseSettings();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startStack({ name: 'bench-transcript-bytes', handleSignals: true });
  try {
    const fake = await startFakeMessagesApi({ answer: plannedAnswer(settings), usage: BENCH_USAGE });
    stack.onStop(() => fake.close());
    const anthropic = new AnthropicProvider('claude-sonnet-4-6', {
      apiKey: 'sk-ant-bench',
      baseURL: fake.url,
    });
    const results: Scenario[] = [];
    say(`scripted: ${settings.ticks} ticks…`);
    results.push(await measure(stack, settings, 'scripted'));
    say(
      `anthropic-shaped: ${settings.ticks} ticks of ${settings.rounds} rounds × ${settings.parallel} tool calls…`,
    );
    results.push(await measure(stack, settings, 'anthropic', anthropic));
    printResults(results);
    const file = writeResults('transcript-bytes', quick, { machine: machineInfo(), settings, results }, out);
    say(`results: ${file}`);
  } finally {
    await stack.stop();
  }
}

await main();
// The SDK's native runtime keeps the event loop alive after its connections close.
process.exit(0);
