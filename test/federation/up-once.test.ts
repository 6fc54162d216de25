import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { createScratchDatabase } from '../../lib/db/test-databases.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { memoryProduct } from '../support/products.ts';

// The whole pipeline on a federated product only: `personas up --once --json --products --catalog`
// with personas whose module mix is only `memory` (server-memory over stdio, per user), scripted
// personas, the test run's Temporal, a fresh database.
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
assert.ok(adminUrl && process.env.TEMPORAL_ADDRESS, 'run with npm test (Postgres and Temporal)');
const scratch = await createScratchDatabase(adminUrl);
after(() => scratch.drop());
const files = await tempDir();

const persona = (n: string, archetype: string, goals: unknown[] = []) => ({
  email: `memory-${n}@personas.test`,
  displayName: `Memory ${n}`,
  archetype,
  systemPrompt: `You are ${n}, who keeps a personal knowledge graph of people, projects and ideas.`,
  moduleMix: { memory: 1 },
  cadence: 'daily',
  timezone: 'UTC',
  goals,
});
// Goals on a federated product: checked through a read-only upstream tool (achieved), through one
// that writes (the gateway refuses: check-error), and the persona's own word (self-reported).
const remember = {
  tool: 'memory__create_entities',
  arguments: { entities: [{ name: 'Plumber', entityType: 'person', observations: ['call ${tomorrow}'] }] },
};
const plumberSeen = {
  type: 'object',
  required: ['entities'],
  properties: {
    entities: {
      type: 'array',
      contains: { type: 'object', properties: { name: { const: 'Plumber' } }, required: ['name'] },
    },
  },
};
const goal = (id: string, check?: string) => ({
  id,
  module: 'memory',
  ask: 'Remember the plumber in your graph, to call tomorrow.',
  ...(check && {
    check: {
      tool: check,
      arguments: check.endsWith('search_nodes') ? { query: 'Plumber' } : {},
      expect: plumberSeen,
    },
  }),
  scripted: [remember],
});
const catalog = await files.write('catalog.json', {
  version: 1,
  personas: [
    persona('ada', 'researcher', [goal('seen', 'memory__search_nodes')]),
    persona('bo', 'solo-dev', [goal('written', 'memory__create_entities')]),
    persona('cy', 'freelancer', [goal('said')]),
  ],
});
const products = await files.write('products.json', {
  builtin: false,
  products: [memoryProduct('${dataDir}/memory-${user.id}.jsonl', { isolation: 'per-user' })],
});

test('personas up --once with memory-only personas: every tick completes with actions and memory ratings', async () => {
  const up = await runCli(
    [
      'up',
      '--once',
      '--json',
      '--products',
      products,
      '--catalog',
      catalog,
      '--dashboard-port',
      '0',
      '--timeout',
      '240',
    ],
    {
      DATABASE_URL: scratch.url,
      PERSONA_DATA_DIR: files.dir,
      LLM_PROVIDER: 'scripted',
      ANTHROPIC_API_KEY: undefined,
      TEMPORAL_TASK_QUEUE: `federation-up-${process.pid}`,
      GATEWAY_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
    },
  );
  assert.equal(up.code, 0, `up --once failed (exit ${up.code}):\n${up.stderr.slice(-4000)}`);
  const summary = JSON.parse(up.stdout) as {
    ok: boolean;
    ticks: number;
    byStatus: Record<string, number>;
    ratingsPerModule: Record<string, { n: number }>;
  };
  assert.equal(summary.ok, true);
  assert.equal(summary.ticks, 3);
  assert.equal(summary.byStatus.completed, 3);
  assert.deepEqual(Object.keys(summary.ratingsPerModule), ['memory']);

  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ tick: string; actions: number; ok: number; memory_ratings: number }>(
      `SELECT t.id AS tick,
              (SELECT count(*)::int FROM persona_actions a WHERE a.tick_id = t.id) AS actions,
              (SELECT count(*)::int FROM persona_actions a WHERE a.tick_id = t.id AND a.outcome = 'ok') AS ok,
              (SELECT count(*)::int FROM persona_feedback f WHERE f.tick_id = t.id AND f.module = 'memory') AS memory_ratings
         FROM persona_ticks t`,
    );
    assert.equal(rows.length, 3);
    for (const r of rows) {
      assert.ok(r.actions > 0, `tick ${r.tick} has actions`);
      assert.ok(r.ok > 0, `tick ${r.tick} has successful memory calls`);
      assert.equal(r.memory_ratings, 1, `tick ${r.tick} rated memory`);
    }
    const goals = await db.query<{ goal_id: string; source: string; outcome: string; evidence: unknown }>(
      'SELECT goal_id, source, outcome, evidence FROM persona_goals ORDER BY goal_id',
    );
    assert.deepEqual(
      goals.rows.map((g) => [g.goal_id, g.source, g.outcome]),
      [
        ['said', 'self-reported', 'achieved'],
        ['seen', 'checked', 'achieved'],
        ['written', 'checked', 'check-error'],
      ],
    );
    assert.match(JSON.stringify(goals.rows[2]!.evidence), /not read-only/);
    const tools = await db.query<{ tool_name: string }>('SELECT DISTINCT tool_name FROM persona_actions');
    assert.ok(
      tools.rows.every((t) => t.tool_name.startsWith('memory__')),
      tools.rows.map((t) => t.tool_name).join(),
    );
  } finally {
    await db.end();
  }
});

test('personas run --products: a campaign on the federated product reports its module', async () => {
  const run = await runCli(
    [
      'run',
      '--label',
      'memory-base',
      '--trials',
      '2',
      '--json',
      '--products',
      products,
      '--catalog',
      catalog,
    ],
    {
      DATABASE_URL: scratch.url,
      PERSONA_DATA_DIR: files.dir,
      LLM_PROVIDER: 'scripted',
      ANTHROPIC_API_KEY: undefined,
      // No TEMPORAL_ADDRESS: `run` brings up the embedded stack (its own dev server, gateway with the
      // products, worker) for the campaign's duration, as a user without a cluster would.
      TEMPORAL_ADDRESS: undefined,
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_TASK_QUEUE: `federation-run-${process.pid}`,
      GATEWAY_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
    },
  );
  assert.equal(run.code, 0, `run failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  const out = JSON.parse(run.stdout) as {
    ok: boolean;
    report: { ticks: number; modules: Record<string, { ratings: number }> };
  };
  assert.equal(out.ok, true);
  assert.equal(out.report.ticks, 6, '3 personas × 2 trials');
  assert.deepEqual(Object.keys(out.report.modules), ['memory']);
  assert.equal(out.report.modules.memory!.ratings, 6, 'one memory rating per trial');
});
