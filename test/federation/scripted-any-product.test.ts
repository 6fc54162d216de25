import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';
import { startTickEnv } from '../support/tick-env.ts';

// The offline persona on two products it was never written for, on real ticks: server-filesystem
// (stdio, one directory per user, created by the command before the server starts) and server-memory.
// server-filesystem marks its write tools destructiveHint, so the persona's user is opted into
// destructive tools, as `personas token --destructive` does.
const FILES_SERVER = path.resolve('node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const dir = await scratchDir();
const products = await writeProducts(dir, {
  builtin: false,
  products: [
    {
      name: 'files',
      isolation: 'per-user',
      transport: {
        type: 'stdio',
        command: 'sh',
        args: [
          '-c',
          'mkdir -p "$1" && exec "$2" "$3" "$1"',
          'sh',
          '${dataDir}/files/${user.id}',
          process.execPath,
          FILES_SERVER,
        ],
      },
    },
    memoryProduct('${dataDir}/memory-${user.id}.jsonl', { isolation: 'per-user' }),
  ],
});
/** A tick stack whose one persona (opted into destructive tools) keeps notes in both products. */
async function stack(archetype: string, gatewayEnv: Record<string, string> = {}) {
  const env = await startTickEnv({
    gatewayEnv: { PERSONA_PRODUCTS: products, PERSONA_DATA_DIR: dir, ...gatewayEnv },
    persona: {
      archetype,
      systemPrompt: 'You are Ada, who keeps her reading notes in files and a graph of people and papers.',
      moduleMix: { files: 0.6, memory: 0.4 },
    },
  });
  await env.query(
    'UPDATE users SET destructive_opt_in = true WHERE id = (SELECT user_id FROM personas WHERE id = $1)',
    [env.personaId],
  );
  return env;
}
const env = await stack('researcher');
// An archetype the scripted persona has no voice for, on a product whose first listing is broken.
const FAULTY = 'files__list_allowed_directories';
const faulty = await stack('archivist', { GATEWAY_FAULTS: JSON.stringify({ [FAULTY]: { errorRate: 1 } }) });

const TICKS = 5;

test(`${TICKS} ticks on server-filesystem + server-memory: ≥ 70 % of calls succeed, both modules rated every tick`, async () => {
  for (let i = 0; i < TICKS; i++) {
    // Fixed tick ids: the scripted persona's day derives from them, so these days are always lived.
    const h = await env.start({}, `any-product-${i}`);
    assert.equal((await h.result()).status, 'completed', `tick ${i}`);
    const rated = await env.query<{ module: string }>(
      'SELECT module FROM persona_feedback WHERE tick_id = $1 ORDER BY module',
      [h.workflowId],
    );
    assert.deepEqual(
      rated.map((r) => r.module),
      ['files', 'memory'],
      `tick ${i} rated both modules`,
    );
  }
  const actions = await env.query<{
    tool_name: string;
    outcome: string;
    error_class: string | null;
    result_summary: string;
  }>('SELECT tool_name, outcome, error_class, result_summary FROM persona_actions ORDER BY created_at');
  const ok = actions.filter((a) => a.outcome === 'ok').length;
  const failures = actions.filter((a) => a.outcome !== 'ok');
  const rate = ok / actions.length;
  console.log(
    `scripted persona on server-filesystem + server-memory: ${ok}/${actions.length} calls succeeded (${(100 * rate).toFixed(1)} %)`,
  );
  assert.ok(actions.length >= TICKS * 3, `${actions.length} calls`);
  assert.ok(rate >= 0.7, `${(100 * rate).toFixed(1)} % succeeded: ${JSON.stringify(failures)}`);
  // Policy never stood in its way (the opt-in reached the gateway), and it wrote files where allowed.
  assert.deepEqual(
    failures.filter((f) => f.error_class === 'policy'),
    [],
  );
  assert.ok(
    actions.some((a) => a.tool_name === 'files__write_file' && a.outcome === 'ok'),
    'it wrote a file',
  );
  const [user] = await env.query<{ user_id: string }>('SELECT user_id FROM personas WHERE id = $1', [
    env.personaId,
  ]);
  const written = await fs.readdir(path.join(dir, 'files', user!.user_id), { recursive: true });
  assert.ok(
    written.some((f) => f.endsWith('.md')),
    `files in the persona's directory: ${written.join(', ')}`,
  );
});

test(`${FAULTY} failing: the files module is rated ≤ 2★ on average, memory is not held to it`, async () => {
  const ratings: Array<{ module: string; rating: number }> = [];
  for (let i = 0; i < 3; i++) {
    const h = await faulty.start({}, `any-product-faulty-${i}`);
    assert.equal((await h.result()).status, 'completed', `tick ${i}`);
    ratings.push(
      ...(await faulty.query<{ module: string; rating: number }>(
        'SELECT module, rating FROM persona_feedback WHERE tick_id = $1',
        [h.workflowId],
      )),
    );
  }
  const mean = (m: string) => {
    const r = ratings.filter((x) => x.module === m).map((x) => x.rating);
    assert.ok(r.length, `${m} rated: ${JSON.stringify(ratings)}`);
    return r.reduce((a, b) => a + b, 0) / r.length;
  };
  assert.ok(mean('files') <= 2, JSON.stringify(ratings));
  assert.ok(mean('memory') > mean('files'), JSON.stringify(ratings));
  const failed = await faulty.count(
    "SELECT count(*)::int AS n FROM persona_actions WHERE tool_name = $1 AND error_class = 'product'",
    [FAULTY],
  );
  assert.ok(failed >= 3, `${failed} failed listings`);
});
