// Tick efficiency and tick throughput of the persona tick workflow, on the real stack.
//
//   node --import tsx bench/tick-efficiency.ts            full run (~2 min on a quiet 2-core machine)
//   node --import tsx bench/tick-efficiency.ts --quick    smoke run (~1 min; writes a git-ignored .tmp.json)
//   options: --ticks N (per efficiency scenario, default 10) --delay MS (model latency, default 200)
//            --rounds N (tool rounds per tick, default 5) --parallel N (tool calls per round, default 2)
//            --personas N (throughput lanes, default 20) --lane-ticks N (ticks per lane, default 5)
//            --only efficiency|throughput --max-wait S (bound on waiting for load < --load-threshold,
//            default 300 s and 1.5) --max-other-cores C (a tick during which other processes used more
//            than C cores on average is set aside and replaced, at most 4 times over; default 0.25)
//            --out FILE --verbose
//            --worker-options JSON (experiments: extra Temporal WorkerOptions over createTickWorker's)
//
// What runs (one process, as `personas up` runs it; all on the same cores): a fresh Postgres database
// (embedded, or DATABASE_URL's server), an in-memory Temporal dev server (or TEMPORAL_ADDRESS), the real
// MCP gateway, and a real Temporal worker (createTickWorker with buildActivityDeps) on its own task
// queue and its own Postgres pool (16, as `personas worker`).
//
// (a) efficiency — the real AnthropicProvider (@anthropic-ai/sdk, baseURL) against bench/fake-model-api.ts,
//     which answers every call after exactly --delay ms: `rounds` rounds of `parallel` parallel tool_use
//     blocks over the real gateway tools, then end_turn, then the rating turn (structured JSON).
//       critical path = Σ model calls × delay  +  Σ over rounds of the slowest tool call of that round
//                       (persona_actions.latency_ms: the worker's MCP call through the gateway)
//       efficiency    = tick wall time (Temporal: workflow started → closed) ÷ critical path
//     Ticks run one at a time. `warm`: the same persona again and again (token and MCP session cached
//     in the worker); `cold`: a new persona every tick (login + MCP session set-up, as after a worker
//     restart, or a daily persona whose gateway session idled out). Each tick's wall time is attributed
//     (bench/tick-timeline.ts) to activity execution / dispatch / workflow tasks, and inside activities
//     to the worker's Postgres queries, the model HTTP call and the gateway call (instrumented here).
// (b) throughput — the scripted provider (no model latency: CPU-bound) over --personas lanes, each lane
//     one persona ticking --lane-ticks times back to back (a persona never overlaps itself, like a
//     schedule with overlap skip), all lanes at once, after one unmeasured warm-up tick per persona.
//
// The gateway runs with POLICY_RATE_LIMIT raised (log-only mode would only flag, but flags are logged
// and counted: not what is measured here); everything else is its default.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Context } from '@temporalio/activity';
import { DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type pg from 'pg';
import type { ActivityDeps } from '../activities/index.ts';
import { AnthropicProvider } from '../activities/llm/anthropic-provider.ts';
import { ScriptedProvider } from '../activities/llm/scripted-provider.ts';
import type { LlmProvider } from '../activities/llm/types.ts';
import { freePort } from '../lib/net/free-port.ts';
import { connectWorker } from '../lib/temporal/connect.ts';
import { upsertPersona, type PersonaDefinition } from '../lib/personas/upsert-persona.ts';
import { ARCHETYPES } from '../lib/personas/catalog.ts';
import { loadGatewayConfig } from '../mcp-gateway/config.ts';
import { startGateway } from '../mcp-gateway/server.ts';
import type { personaTick } from '../workflows/persona-tick.ts';
import { TICK_WORKFLOW } from '../workflows/tick-contract.ts';
import { buildActivityDeps } from '../workers/build-deps.ts';
import { loadWorkerConfig } from '../workers/config.ts';
import { bundleWorkflows, createTickWorker } from '../workers/tick-worker.ts';
import {
  busyFraction,
  cpuByCommand,
  cpuDelta,
  fmt,
  loadAverage,
  machineBusy,
  machineInfo,
  median,
  percentile,
  sum,
  table,
  waitForLowLoad,
  writeResults,
} from './bench-report.ts';
import { startBenchStack } from './bench-stack.ts';
import { plannedAnswer, startFakeModelApi } from './fake-model-api.ts';
import { tickTimeline, type TickTimeline } from './tick-timeline.ts';
import { TEST_SEED_SECRET, TEST_KEK, TEST_SECRET_ENV } from '../test/helpers/secrets.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    ticks: { type: 'string' },
    delay: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    parallel: { type: 'string', default: '2' },
    personas: { type: 'string', default: '20' },
    'lane-ticks': { type: 'string' },
    only: { type: 'string' },
    'max-wait': { type: 'string', default: '300' },
    'load-threshold': { type: 'string', default: '1.5' },
    'max-other-cores': { type: 'string', default: '0.25' },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'worker-options': { type: 'string' },
  },
});
/** Experiments only: extra Temporal WorkerOptions (JSON) on top of what createTickWorker sets. */
const extraWorkerOptions = flags['worker-options']
  ? (JSON.parse(flags['worker-options']) as Partial<WorkerOptions>)
  : undefined;

function int(v: string | undefined, fallback: number, what: string, min = 1, max = 10_000): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${what}: expected ${min}..${max}, got "${v}"`);
  return n;
}

const quick = flags.quick;
const settings = {
  ticks: int(flags.ticks, quick ? 3 : 10, 'ticks', 1, 200),
  delayMs: int(flags.delay, 200, 'delay', 0, 10_000),
  rounds: int(flags.rounds, 5, 'rounds', 0, 11),
  parallel: int(flags.parallel, 2, 'parallel', 1, 8),
  personas: int(flags.personas, quick ? 8 : 20, 'personas', 1, 200),
  laneTicks: int(flags['lane-ticks'], quick ? 2 : 5, 'lane-ticks', 1, 100),
  maxWaitMs: int(flags['max-wait'], 300, 'max-wait', 0, 3600) * 1000,
  maxOtherCores: Number(flags['max-other-cores']),
  loadThreshold: Number(flags['load-threshold']),
};
const only = flags.only;
if (only && only !== 'efficiency' && only !== 'throughput')
  throw new Error('--only: efficiency | throughput');
const say = (line: string) => process.stdout.write(`${line}\n`);
const verbose = (line: string) => flags.verbose && say(`  · ${line}`);

// ---------------------------------------------------------------------------------------------------
// Instrumentation: time spent inside activities, attributed with Temporal's activity context.

interface Inside {
  dbMs: number;
  dbQueries: number;
  llmMs: number;
  gatewayMs: number;
  sessionMs: number;
}
const inside = new Map<string, Map<string, Inside>>(); // workflowId → activity type → totals
function bucket(): Inside | undefined {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return undefined;
  }
  const workflowId = info.workflowExecution?.workflowId ?? '?';
  const perTick = inside.get(workflowId) ?? new Map<string, Inside>();
  inside.set(workflowId, perTick);
  let b = perTick.get(info.activityType);
  if (!b)
    perTick.set(info.activityType, (b = { dbMs: 0, dbQueries: 0, llmMs: 0, gatewayMs: 0, sessionMs: 0 }));
  return b;
}
async function timed<T>(field: 'llmMs' | 'gatewayMs' | 'sessionMs', run: () => Promise<T>): Promise<T> {
  const b = bucket();
  const t = performance.now();
  try {
    return await run();
  } finally {
    if (b) b[field] += performance.now() - t;
  }
}

/** Times every promise-style query of the worker's pool (including transactions' clients). */
function instrumentPool(pool: pg.Pool): void {
  type QueryFn = (...args: unknown[]) => unknown;
  const wrap = (target: { query: QueryFn }) => {
    const orig = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      const r = orig(...args);
      if (typeof args[args.length - 1] === 'function' || !(r instanceof Promise)) return r;
      const b = bucket();
      if (!b) return r;
      const t = performance.now();
      b.dbQueries++;
      return r.finally(() => (b.dbMs += performance.now() - t));
    };
  };
  wrap(pool as unknown as { query: QueryFn });
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    wrap(client as unknown as { query: QueryFn });
  });
}

function instrumentDeps(deps: ActivityDeps): void {
  const llm = deps.llm;
  const create = llm.createMessage.bind(llm);
  llm.createMessage = (req) => timed('llmMs', () => create(req));
  const s = deps.sessions;
  const callTool = s.callTool.bind(s);
  s.callTool = (...a) => timed('gatewayMs', () => callTool(...a));
  // The MCP session (initialize handshake) is opened lazily by the first call; time how long callers
  // wait for it (a private method: bench-only instrumentation).
  const priv = s as unknown as { client(personaId: string): Promise<unknown> };
  const client = priv.client.bind(s);
  priv.client = (personaId) => timed('sessionMs', () => client(personaId));
}

// ---------------------------------------------------------------------------------------------------
// The Temporal SDK's own metrics (Prometheus text): histogram sums and counts, counters, by series.

type SdkMetrics = Map<string, number>;
async function scrapeSdkMetrics(url: string): Promise<SdkMetrics> {
  const out: SdkMetrics = new Map();
  const text = await (await fetch(url)).text();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const [, name, , labels = '', value] = m;
    if (name!.endsWith('_bucket')) continue;
    const op = /operation="([^"]+)"/.exec(labels)?.[1] ?? /activity_type="([^"]+)"/.exec(labels)?.[1];
    const key = op ? `${name}{${op}}` : name!;
    out.set(key, (out.get(key) ?? 0) + Number(value));
  }
  return out;
}

/** Mean (ms) and count of every SDK histogram between two scrapes, plus counter deltas. */
function sdkDelta(before: SdkMetrics, after: SdkMetrics): Record<string, { count: number; meanMs?: number }> {
  const out: Record<string, { count: number; meanMs?: number }> = {};
  for (const [key, v] of after) {
    if (!key.includes('_count')) continue;
    const base = key.replace('_count', '');
    const count = v - (before.get(key) ?? 0);
    if (count <= 0) continue;
    const s =
      (after.get(key.replace('_count', '_sum')) ?? 0) - (before.get(key.replace('_count', '_sum')) ?? 0);
    out[base] = { count, meanMs: +(s / count).toFixed(2) };
  }
  for (const [key, v] of after) {
    if (key.includes('_count') || key.includes('_sum')) continue;
    const d = v - (before.get(key) ?? 0);
    if (d > 0 && /cache|total|poll/.test(key)) out[key] = { count: d };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

function personaDef(i: number, tag: string): PersonaDefinition {
  const archetype = ARCHETYPES[i % ARCHETYPES.length]!;
  return {
    email: `bench-${tag}-${i}@personas.test`,
    displayName: `Bench ${tag} ${i}`,
    archetype,
    systemPrompt: `You are a ${archetype} persona used by the tick benchmark; you use every module a little.`,
    moduleMix: { todos: 0.4, notes: 0.3, habits: 0.2, journal: 0.1 },
    cadence: 'daily',
    timezone: 'Europe/Berlin',
  };
}

interface TickMeasure {
  tickId: string;
  scenario: string;
  wallMs: number;
  clientMs: number;
  modelCalls: number;
  modelServedMs: number;
  modelNominalMs: number;
  toolCalls: number;
  toolMaxPerRoundMs: number;
  toolLatencies: number[];
  criticalMs: number;
  efficiency: number;
  timeline: TickTimeline;
  inside: Record<string, Inside>;
  status: string;
  /** CPU cores other processes on the machine used on average during the tick. */
  otherCores: number;
  disturbed: boolean;
}

const info = machineInfo();
say(
  `tick-efficiency: ${info.cpuModel} × ${info.cores}, node ${info.node}, load ${info.loadAverage.join(' ')}${quick ? ' (quick)' : ''}`,
);
const stack = await startBenchStack({ name: 'tick-efficiency' });
const results: Record<string, unknown> = {};
try {
  const gatewayConfig = loadGatewayConfig({
    ...TEST_SECRET_ENV,
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    GATEWAY_PORT: '0',
    GATEWAY_HOST: '127.0.0.1',
    POLICY_RATE_LIMIT: String(1_000_000_000),
  });
  const gateway = await startGateway(gatewayConfig, stack.logger, { database: stack.database });
  stack.onStop(() => gateway.close());
  const kek = TEST_KEK;

  const sdkMetricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } } },
  });
  const scrapeSdk = () => scrapeSdkMetrics(`http://127.0.0.1:${sdkMetricsPort}/metrics`);
  const native = await connectWorker(stack.temporal);
  stack.onStop(() => native.close());
  const workflowBundle = await bundleWorkflows();
  const workerDb = await stack.openPool(16);
  instrumentPool(workerDb.pool);
  const workerConfig = loadWorkerConfig({
    ...TEST_SECRET_ENV,
    GATEWAY_URL: gateway.url,
    LLM_PROVIDER: 'scripted',
    LOG_LEVEL: 'silent',
  });

  async function withWorker<T>(llm: LlmProvider, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const deps = buildActivityDeps(workerConfig, workerDb.db, stack.logger, { llm });
    instrumentDeps(deps);
    const taskQueue = `bench-${randomUUID()}`;
    const worker = extraWorkerOptions
      ? // The options createTickWorker sets (workers/tick-worker.ts), plus the experiment's.
        await Worker.create({
          connection: native,
          namespace: stack.temporal.namespace,
          taskQueue,
          activities: createActivities(deps),
          workflowBundle,
          maxConcurrentActivityTaskExecutions: workerConfig.maxConcurrentActivities,
          shutdownGraceTime: '10s',
          ...extraWorkerOptions,
        })
      : await createTickWorker({
          connection: native,
          namespace: stack.temporal.namespace,
          taskQueue,
          deps,
          workflowBundle,
          maxConcurrentActivities: workerConfig.maxConcurrentActivities,
        });
    const running = worker.run();
    try {
      return await fn(taskQueue);
    } finally {
      worker.shutdown();
      await running;
      await deps.sessions.close();
    }
  }

  const seeded = new Map<string, string>();
  async function persona(i: number, tag: string): Promise<string> {
    const key = `${tag}-${i}`;
    let id = seeded.get(key);
    if (!id) {
      id = (await upsertPersona(stack.database.db, kek, TEST_SEED_SECRET, personaDef(i, tag))).personaId;
      seeded.set(key, id);
    }
    return id;
  }

  async function runTick(taskQueue: string, personaId: string) {
    const t0 = performance.now();
    const handle = await stack.client.workflow.start<typeof personaTick>(TICK_WORKFLOW, {
      taskQueue,
      workflowId: `bench-tick-${randomUUID()}`,
      args: [{ personaId }],
    });
    const result = await handle.result();
    const clientMs = performance.now() - t0;
    return { handle, result, t0, t1: performance.now(), clientMs };
  }

  // ---- (a) efficiency ------------------------------------------------------------------------------
  if (only !== 'throughput') {
    const fake = await startFakeModelApi({ delayMs: settings.delayMs, answer: plannedAnswer(settings) });
    stack.onStop(() => fake.close());
    const llm = new AnthropicProvider('claude-sonnet-4-6', {
      apiKey: 'sk-ant-bench-not-a-key',
      baseURL: fake.url,
    });
    const measures: TickMeasure[] = [];
    const scenarioLoad: Record<string, { before: number[]; after: number[]; waited: number }> = {};
    const sdkByScenario: Record<string, unknown> = {};
    await withWorker(llm, async (taskQueue) => {
      // Warm-up: the first tick of a worker pays for the workflow bundle's V8 context, the tool listing
      // (cached per worker), JIT; not part of either scenario.
      say('(a) efficiency: warm-up tick…');
      await runTick(taskQueue, await persona(0, 'warmup'));
      for (const scenario of ['warm', 'cold'] as const) {
        const q = await waitForLowLoad({
          threshold: settings.loadThreshold,
          maxWaitMs: settings.maxWaitMs,
          maxOtherCores: settings.maxOtherCores,
          say,
        });
        const before = loadAverage();
        say(`(a) ${scenario}: ${settings.ticks} ticks (load ${before.join(' ')})…`);
        if (scenario === 'warm') await runTick(taskQueue, await persona(0, 'warm')); // its own warm-up
        const sdk0 = await scrapeSdk();
        // The machine is shared: a tick during which other processes used more than --max-other-cores
        // is measured but set aside, and another one run in its place (bounded).
        let clean = 0;
        for (let i = 0; clean < settings.ticks && i < settings.ticks * 5; i++) {
          const personaId = scenario === 'warm' ? await persona(0, 'warm') : await persona(i, 'cold');
          const served0 = fake.served.length;
          const busy0 = machineBusy();
          const cpu0 = sum([...cpuByCommand().values()]);
          const { handle, result, clientMs } = await runTick(taskQueue, personaId);
          const ownCpu = sum([...cpuByCommand().values()]) - cpu0;
          const busy1 = machineBusy();
          const otherCores =
            busy0 && busy1 ? Math.max(0, (busy1.busy - busy0.busy) / 100 - ownCpu) / (clientMs / 1000) : 0;
          const disturbed = otherCores > settings.maxOtherCores;
          if (!disturbed) clean++;
          const served = fake.served.slice(served0);
          const history = await handle.fetchHistory();
          const timeline = tickTimeline(history.events ?? []);
          const actions = await stack.database.pool.query<{ round: number; latency_ms: number }>(
            'SELECT round, latency_ms FROM persona_actions WHERE tick_id = $1',
            [handle.workflowId],
          );
          const perRound = new Map<number, number>();
          for (const a of actions.rows)
            perRound.set(a.round, Math.max(perRound.get(a.round) ?? 0, a.latency_ms));
          const modelServedMs = sum(served.map((s) => s.respondedAt - s.receivedAt));
          const modelNominalMs = served.length * settings.delayMs;
          const toolMaxPerRoundMs = sum([...perRound.values()]);
          const criticalMs = modelNominalMs + toolMaxPerRoundMs;
          const m: TickMeasure = {
            tickId: handle.workflowId,
            scenario,
            wallMs: timeline.wallMs,
            clientMs,
            modelCalls: served.length,
            modelServedMs,
            modelNominalMs,
            toolCalls: actions.rowCount ?? 0,
            toolMaxPerRoundMs,
            toolLatencies: actions.rows.map((r) => r.latency_ms),
            criticalMs,
            efficiency: timeline.wallMs / criticalMs,
            timeline,
            inside: Object.fromEntries(inside.get(handle.workflowId) ?? []),
            status: result.status,
            otherCores: +otherCores.toFixed(2),
            disturbed,
          };
          measures.push(m);
          verbose(
            `${scenario} ${i + 1}${disturbed ? ` (disturbed: others used ${fmt(otherCores, 2)} cores)` : ''}: wall ${fmt(m.wallMs)} ms, critical ${fmt(criticalMs)} ms, efficiency ${fmt(m.efficiency, 3)}, ${m.toolCalls} tool calls, ${m.modelCalls} model calls, ${result.status}`,
          );
        }
        scenarioLoad[scenario] = { before, after: loadAverage(), waited: q.waitedMs };
        sdkByScenario[scenario] = sdkDelta(sdk0, await scrapeSdk());
      }
    });
    await fake.close();
    results.efficiency = summariseEfficiency(
      measures,
      scenarioLoad,
      sdkByScenario as Record<string, ReturnType<typeof sdkDelta>>,
    );
    results.sdkMetrics = sdkByScenario;
    if (flags.verbose) say(JSON.stringify(sdkByScenario, null, 1));
  }

  // ---- (b) throughput ------------------------------------------------------------------------------
  if (only !== 'efficiency') {
    const lanes = await Promise.all(Array.from({ length: settings.personas }, (_, i) => persona(i, 'lane')));
    results.throughput = await withWorker(new ScriptedProvider({ seed: 'bench' }), async (taskQueue) => {
      say(`(b) throughput: warm-up tick for each of ${lanes.length} personas…`);
      await Promise.all(lanes.map((p) => runTick(taskQueue, p)));
      const q = await waitForLowLoad({
        threshold: settings.loadThreshold,
        maxWaitMs: settings.maxWaitMs,
        maxOtherCores: settings.maxOtherCores,
        say,
      });
      const loadBefore = loadAverage();
      say(
        `(b) throughput: ${lanes.length} lanes × ${settings.laneTicks} ticks (load ${loadBefore.join(' ')})…`,
      );
      const cpu0 = cpuByCommand();
      const busy0 = machineBusy();
      const t0 = performance.now();
      const ticks: Array<{ id: string; ms: number; status: string }> = [];
      await Promise.all(
        lanes.map(async (p) => {
          for (let i = 0; i < settings.laneTicks; i++) {
            const { handle, result, clientMs } = await runTick(taskQueue, p);
            ticks.push({ id: handle.workflowId, ms: clientMs, status: result.status });
          }
        }),
      );
      const elapsedMs = performance.now() - t0;
      const busy = busyFraction(busy0, machineBusy());
      const cpu = cpuDelta(cpu0, cpuByCommand());
      const ids = ticks.map((t) => t.id);
      const counts = await stack.database.pool.query<{ actions: number; rounds: number; errors: number }>(
        `SELECT (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1)) AS actions,
                (SELECT coalesce(sum(rounds), 0)::int FROM persona_ticks WHERE id = ANY($1)) AS rounds,
                (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1) AND outcome = 'error') AS errors`,
        [ids],
      );
      const c = counts.rows[0]!;
      const minutes = elapsedMs / 60_000;
      return {
        lanes: lanes.length,
        ticksPerLane: settings.laneTicks,
        completed: ticks.filter((t) => t.status === 'completed').length,
        ticks: ticks.length,
        elapsedS: +(elapsedMs / 1000).toFixed(2),
        ticksPerMinute: +(ticks.filter((t) => t.status === 'completed').length / minutes).toFixed(1),
        toolCalls: c.actions,
        toolCallsPerSecond: +(c.actions / (elapsedMs / 1000)).toFixed(1),
        toolErrors: c.errors,
        modelCalls: c.rounds,
        tickMsP50: Math.round(median(ticks.map((t) => t.ms))),
        tickMsP90: Math.round(
          percentile(
            ticks.map((t) => t.ms),
            90,
          ),
        ),
        machineBusy: +busy.toFixed(2),
        cpuSeconds: cpu,
        load: {
          before: loadBefore,
          after: loadAverage(),
          waitedS: Math.round(q.waitedMs / 1000),
          quiet: q.quiet,
        },
      };
    });
  }
} finally {
  await stack.stop();
}

// ---------------------------------------------------------------------------------------------------
// Report.

function summariseEfficiency(
  measures: TickMeasure[],
  load: Record<string, { before: number[]; after: number[]; waited: number }>,
  sdk: Record<string, ReturnType<typeof sdkDelta>>,
) {
  const out: Record<string, unknown> = {};
  for (const scenario of ['warm', 'cold']) {
    const all = measures.filter((m) => m.scenario === scenario);
    if (!all.length) continue;
    const undisturbed = all.filter((m) => !m.disturbed);
    const ms = undisturbed.length ? undisturbed : all;
    const comp = (f: (m: TickMeasure) => number, digits = 1) => {
      const v = ms.map(f);
      return { median: +median(v).toFixed(digits), p90: +percentile(v, 90).toFixed(digits) };
    };
    const att = (m: TickMeasure, k: string) => m.timeline.attribution[k] ?? 0;
    const ins = (m: TickMeasure, type: string, f: keyof Inside) => m.inside[type]?.[f] ?? 0;
    const servedFor = (m: TickMeasure, purpose: 'main' | 'rating') =>
      purpose === 'rating' ? (m.modelCalls ? settings.delayMs : 0) : (m.modelCalls - 1) * settings.delayMs;
    const breakdown = {
      'efficiency with model latency as served': comp(
        (m) => m.wallMs / (m.modelServedMs + m.toolMaxPerRoundMs),
        3,
      ),
      'model latency (fake, nominal)': comp((m) => m.modelNominalMs),
      'model latency (as served: fake timer, incl. its lag)': comp((m) => m.modelServedMs),
      'tool latency (slowest per round)': comp((m) => m.toolMaxPerRoundMs),
      'critical path': comp((m) => m.criticalMs),
      'tick wall time': comp((m) => m.wallMs),
      overhead: comp((m) => m.wallMs - m.criticalMs),
      '  login activity': comp((m) => att(m, 'exec:login')),
      '  modelCall activities − model latency': comp((m) => att(m, 'exec:modelCall') - servedFor(m, 'main')),
      '    of which worker Postgres': comp((m) => ins(m, 'modelCall', 'dbMs')),
      '    of which SDK + HTTP beyond the delay': comp(
        (m) => ins(m, 'modelCall', 'llmMs') - servedFor(m, 'main'),
      ),
      '  callTool activities − slowest tool': comp((m) => att(m, 'exec:callTool') - m.toolMaxPerRoundMs),
      '    of which worker Postgres (Σ parallel)': comp((m) => ins(m, 'callTool', 'dbMs')),
      '  rate activity − model latency': comp((m) => att(m, 'exec:rate') - servedFor(m, 'rating')),
      '  persistTick activity': comp((m) => att(m, 'exec:persistTick')),
      '  activity dispatch (scheduled → started)': comp((m) => att(m, 'dispatch')),
      '  workflow tasks (scheduled → completed)': comp((m) => att(m, 'workflow-task')),
      '  gaps between events': comp((m) => att(m, 'gap')),
      'client-observed tick time': comp((m) => m.clientMs),
      'MCP session set-up awaited (in tool latency)': comp((m) => ins(m, 'callTool', 'sessionMs')),
    };
    out[scenario] = {
      ticks: ms.length,
      setAside: all.length - undisturbed.length,
      otherCoresMedian: median(ms.map((m) => m.otherCores)),
      statuses: [...new Set(ms.map((m) => m.status))],
      efficiency: comp((m) => m.efficiency, 3),
      efficiencyValues: ms.map((m) => +m.efficiency.toFixed(3)),
      breakdownMs: breakdown,
      perTick: {
        modelCalls: median(ms.map((m) => m.modelCalls)),
        toolCalls: median(ms.map((m) => m.toolCalls)),
        activities: median(ms.map((m) => m.timeline.activities.length)),
        workflowTasks: median(ms.map((m) => m.timeline.workflowTasks.length)),
        historyEvents: median(ms.map((m) => m.timeline.historyEvents)),
        workerDbQueries: median(ms.map((m) => sum(Object.values(m.inside).map((i) => i.dbQueries)))),
      },
      perStepMs: {
        workflowTask: comp((m) => median(m.timeline.workflowTasks.map((w) => w.completedAt - w.scheduledAt))),
        workflowTaskQueue: comp((m) =>
          median(m.timeline.workflowTasks.map((w) => w.startedAt - w.scheduledAt)),
        ),
        activityDispatch: comp((m) => median(m.timeline.activities.map((a) => a.startedAt - a.scheduledAt))),
        toolLatency: comp((m) => median(m.toolLatencies)),
      },
      // Server-side execution (history: started → closed) against the worker's own execution time of
      // the activity function (SDK metric, all ticks of the scenario): the difference is Temporal's
      // plumbing around each activity (task hand-over in the worker, completion RPC, persistence).
      activityPlumbingMs: Object.fromEntries(
        ['login', 'modelCall', 'callTool', 'rate', 'persistTick'].map((type) => {
          const spans = ms.flatMap((m) => m.timeline.activities.filter((a) => a.type === type));
          const history = sum(spans.map((a) => a.closedAt - a.startedAt)) / (spans.length || 1);
          const worker =
            sdk[scenario]?.[`temporal_activity_execution_latency{${type}}`]?.meanMs ?? Number.NaN;
          return [
            type,
            {
              historyExec: +history.toFixed(1),
              workerExec: worker,
              plumbing: +(history - worker).toFixed(1),
            },
          ];
        }),
      ),
      workflowTaskMs: {
        scheduleToStart: sdk[scenario]?.temporal_workflow_task_schedule_to_start_latency?.meanMs,
        workerExecution: sdk[scenario]?.temporal_workflow_task_execution_latency?.meanMs,
        respondRpc: sdk[scenario]?.['temporal_request_latency{RespondWorkflowTaskCompleted}']?.meanMs,
      },
      load: load[scenario],
    };
  }
  return out;
}

const eff = results.efficiency as Record<string, Record<string, unknown>> | undefined;
if (eff) {
  say('');
  say(
    `(a) tick efficiency — ${settings.rounds} rounds × ${settings.parallel} parallel tool calls + end + rating, model ${settings.delayMs} ms per call`,
  );
  const scen = Object.keys(eff);
  const first = eff[scen[0]!]!;
  const rows = Object.keys(first.breakdownMs as object).map((k) => [
    k,
    ...scen.flatMap((s) => {
      const v = (eff[s]!.breakdownMs as Record<string, { median: number; p90: number }>)[k]!;
      const digits = k.startsWith('efficiency') ? 3 : 1;
      return [fmt(v.median, digits), fmt(v.p90, digits)];
    }),
  ]);
  rows.unshift([
    'efficiency (wall ÷ critical path)',
    ...scen.flatMap((s) => {
      const e = eff[s]!.efficiency as { median: number; p90: number };
      return [fmt(e.median, 3), fmt(e.p90, 3)];
    }),
  ]);
  say(table(['ms per tick', ...scen.flatMap((s) => [`${s} p50`, `${s} p90`])], rows));
  say('');
  say(
    table(
      ['per tick', ...scen],
      [
        [
          'ticks measured (set aside: disturbed)',
          ...scen.map((s) => `${eff[s]!.ticks} (${eff[s]!.setAside})`),
        ],
        ['other processes, cores (median)', ...scen.map((s) => fmt(eff[s]!.otherCoresMedian as number, 2))],
        ...Object.keys(first.perTick as object).map((k) => [
          k,
          ...scen.map((s) => fmt((eff[s]!.perTick as Record<string, number>)[k]!)),
        ]),
        ...Object.keys(first.perStepMs as object).map((k) => [
          `${k} (median ms)`,
          ...scen.map((s) => fmt((eff[s]!.perStepMs as Record<string, { median: number }>)[k]!.median, 1)),
        ]),
        ...Object.keys(first.workflowTaskMs as object).map((k) => [
          `workflow task ${k} (SDK mean ms)`,
          ...scen.map((s) => fmt((eff[s]!.workflowTaskMs as Record<string, number>)[k]!, 1)),
        ]),
        ...Object.keys(first.activityPlumbingMs as object).map((k) => [
          `${k}: Temporal plumbing per activity (ms)`,
          ...scen.map((s) =>
            fmt((eff[s]!.activityPlumbingMs as Record<string, { plumbing: number }>)[k]!.plumbing, 1),
          ),
        ]),
      ],
    ),
  );
}
const thr = results.throughput as Record<string, unknown> | undefined;
if (thr) {
  say('');
  say(
    `(b) throughput — scripted provider, ${thr.lanes} personas × ${thr.ticksPerLane} ticks, all lanes at once`,
  );
  say(
    table(
      ['measure', 'value'],
      [
        ['completed ticks', `${thr.completed} / ${thr.ticks}`],
        ['elapsed (s)', fmt(thr.elapsedS as number, 1)],
        ['ticks per minute', fmt(thr.ticksPerMinute as number, 1)],
        ['tool calls', fmt(thr.toolCalls as number)],
        ['tool calls per second', fmt(thr.toolCallsPerSecond as number, 1)],
        ['model calls (main turn)', fmt(thr.modelCalls as number)],
        ['tick time p50 / p90 (ms)', `${fmt(thr.tickMsP50 as number)} / ${fmt(thr.tickMsP90 as number)}`],
        ['machine busy (all cores)', `${fmt((thr.machineBusy as number) * 100)} %`],
        [
          'CPU s: node / postgres / temporal',
          (() => {
            const c = thr.cpuSeconds as Record<string, number>;
            return `${fmt(c.node ?? NaN, 1)} / ${fmt(c.postgres ?? NaN, 1)} / ${fmt(c.temporal ?? NaN, 1)}`;
          })(),
        ],
      ],
    ),
  );
}

const file = writeResults(
  'tick-efficiency',
  quick,
  {
    benchmark: 'tick-efficiency',
    date: new Date().toISOString(),
    machine: { ...info, loadAverageAtEnd: loadAverage() },
    postgres: stack.postgresSource,
    temporal: stack.temporalSource,
    settings,
    workerOptions: extraWorkerOptions ?? 'createTickWorker defaults',
    goal: { efficiency: 1.15 },
    ...results,
  },
  flags.out,
);
say(`\nresults: ${file}`);
process.exit(0);
