// Issue 21's whole story through the real CLI: a product team's own catalog (four personas whose
// archetypes are not the built-in ones) on two real third-party servers — server-filesystem (stdio,
// per user, in `${workdir}`) and server-memory (stdio, per user) — with the products file opting every
// persona into destructive tools (`personaDefaults`), `personas up --once --json`, scripted personas.
// Then the same with one files tool failing: that module is rated low.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { createScratchDatabase } from '../../lib/db/test-databases.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { FILESYSTEM_SERVER, memoryProduct } from '../support/products.ts';

const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
assert.ok(adminUrl && process.env.TEMPORAL_ADDRESS, 'run with npm test (Postgres and Temporal)');
const files = await tempDir();

const persona = (name: string, archetype: string, prompt: string) => ({
  email: `${name}@own-product.test`,
  displayName: name,
  archetype,
  systemPrompt: `You are ${name}, ${prompt}`,
  moduleMix: { files: 0.6, memory: 0.4 },
  cadence: 'daily',
  timezone: 'UTC',
});
const catalog = await files.write('catalog.json', {
  version: 1,
  personas: [
    persona('ines', 'archivist', 'a county archivist who keeps a finding aid per box in text files.'),
    persona('tom', 'field-nurse', 'a field nurse who keeps visit notes and who was seen by whom.'),
    persona('ravi', 'analyst', 'a data analyst who writes up findings and links them to sources.'),
    persona('mo', 'dispatcher', 'a dispatcher who logs calls and the crews sent to them.'),
  ],
});
const products = await files.write('products.json', {
  builtin: false,
  personaDefaults: { destructive: true },
  products: [
    {
      name: 'files',
      isolation: 'per-user',
      transport: { type: 'stdio', command: process.execPath, args: [FILESYSTEM_SERVER, '${workdir}'] },
      errors: { persona: ['^ENOENT', 'outside allowed directories'] },
    },
    memoryProduct('${workdir}/memory.jsonl', { isolation: 'per-user' }),
  ],
});

interface Action {
  persona: string;
  tool_name: string;
  outcome: string;
  error_class: string | null;
}

/** `up --once` on a fresh database; returns each tick's status, the actions and the ratings. */
async function upOnce(label: string, extraEnv: Record<string, string> = {}) {
  const scratch = await createScratchDatabase(adminUrl!);
  after(() => scratch.drop());
  const dataDir = await tempDir();
  const up = await runCli(
    ['up', '--once', '--json', '--products', products, '--catalog', catalog, '--dashboard-port', '0'],
    {
      DATABASE_URL: scratch.url,
      PERSONA_DATA_DIR: dataDir.dir,
      LLM_PROVIDER: 'scripted',
      ANTHROPIC_API_KEY: undefined,
      TEMPORAL_TASK_QUEUE: `own-product-${label}-${process.pid}`,
      GATEWAY_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      ...extraEnv,
    },
  );
  assert.equal(up.code, 0, `up --once failed (exit ${up.code}):\n${up.stderr.slice(-4000)}`);
  const summary = JSON.parse(up.stdout) as { ticks: number; byStatus: Record<string, number> };
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  try {
    const actions = await db.query<Action>(
      'SELECT a.persona_id AS persona, a.tool_name, a.outcome, a.error_class FROM persona_actions a',
    );
    const ratings = await db.query<{ module: string; rating: number }>(
      'SELECT module, rating FROM persona_feedback WHERE rating IS NOT NULL',
    );
    const optedIn = await db.query<{ destructive_opt_in: boolean }>(
      'SELECT u.destructive_opt_in FROM personas p JOIN users u ON u.id = p.user_id',
    );
    return {
      summary,
      actions: actions.rows,
      ratings: ratings.rows,
      optedIn: optedIn.rows.map((r) => r.destructive_opt_in),
    };
  } finally {
    await db.end();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('four personas of a team’s own on server-filesystem + server-memory: ≥ 70 % of calls succeed, every tick completes, both modules rated', async () => {
  const { summary, actions, ratings, optedIn } = await upOnce('healthy');
  assert.equal(summary.ticks, 4);
  assert.equal(summary.byStatus.completed, 4, JSON.stringify(summary));
  const ok = actions.filter((a) => a.outcome === 'ok').length;
  const rate = ok / actions.length;
  console.log(`own catalog on server-filesystem + server-memory: ${ok}/${actions.length} calls succeeded`);
  assert.ok(actions.length >= 8, `${actions.length} calls`);
  assert.ok(
    rate >= 0.7,
    `${(100 * rate).toFixed(1)} %: ${JSON.stringify(actions.filter((a) => a.outcome !== 'ok'))}`,
  );
  // personaDefaults reached every account, and no call was refused by policy. (Whether a persona
  // writes a file on a given day depends on its seed: its opt-in is what the products file decides.)
  assert.deepEqual(optedIn, [true, true, true, true]);
  assert.deepEqual(
    actions.filter((a) => a.error_class === 'policy'),
    [],
  );
  for (const m of ['files', 'memory']) {
    assert.ok(
      ratings.some((r) => r.module === m),
      `${m} rated: ${JSON.stringify(ratings)}`,
    );
  }
});

test('one files tool failing in the product: files is rated ≤ 2★ on average, memory above it', async () => {
  const faults = { files__list_allowed_directories: { errorRate: 1 } };
  const { summary, ratings } = await upOnce('faulty', { GATEWAY_FAULTS: JSON.stringify(faults) });
  assert.equal(summary.byStatus.completed, 4, JSON.stringify(summary));
  const of = (m: string) => ratings.filter((r) => r.module === m).map((r) => r.rating);
  assert.ok(of('files').length > 0 && of('memory').length > 0, JSON.stringify(ratings));
  assert.ok(mean(of('files')) <= 2, JSON.stringify(ratings));
  assert.ok(mean(of('memory')) > mean(of('files')), JSON.stringify(ratings));
});
