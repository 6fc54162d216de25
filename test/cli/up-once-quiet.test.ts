import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { test } from 'node:test';
import { freePort } from '../../lib/net/free-port.ts';
import { runCli, tempDir } from '../support/cli.ts';

// Issue 24: a clean `personas up --once` (what `npm start -- --once` runs) on the embedded Postgres
// used to end with "Postgres connection lost" warnings — the orderly shutdown terminating sockets the
// pool had not finished closing. Nothing at warning level or above may be logged on a clean run.
assert.ok(process.env.TEMPORAL_ADDRESS, 'run with npm test (Temporal)');
const files = await tempDir();
// As root the embedded Postgres runs as the postgres user, which must enter the data dir.
await chmod(files.dir, 0o755);

const persona = (n: string, archetype: string) => ({
  email: `quiet-${n}@personas.test`,
  displayName: `Quiet ${n}`,
  archetype,
  systemPrompt: `You are ${n}, who keeps the day in order with a few habits, todos and notes.`,
  moduleMix: { todos: 0.5, notes: 0.5 },
  cadence: 'daily',
  timezone: 'UTC',
});
const catalog = await files.write('catalog.json', {
  version: 1,
  personas: [persona('ada', 'researcher'), persona('bo', 'solo-dev')],
});

test('a clean `personas up --once` on the embedded Postgres logs nothing at warning level', async () => {
  const up = await runCli(
    ['up', '--once', '--catalog', catalog, '--dashboard-port', '0', '--timeout', '240'],
    {
      DATABASE_URL: undefined,
      PERSONA_DATA_DIR: files.dir,
      EMBEDDED_PG_PORT: String(await freePort()),
      LLM_PROVIDER: 'scripted',
      ANTHROPIC_API_KEY: undefined,
      TEMPORAL_TASK_QUEUE: `up-quiet-${process.pid}`,
      GATEWAY_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      WORKER_CODEC_PORT: String(await freePort()),
    },
  );
  assert.equal(up.code, 0, `up --once failed (exit ${up.code}):\n${up.stderr.slice(-4000)}`);
  assert.match(up.stdout, /^ticks +2\b/m);
  // Piped, so logs are JSON lines: pino's levels are 40 warn, 50 error, 60 fatal.
  const loud = up.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .filter((l) => (JSON.parse(l) as { level: number }).level >= 40);
  assert.deepEqual(loud, [], `warning-level lines on a clean run:\n${loud.join('\n')}`);
});
