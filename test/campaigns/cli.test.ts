import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../support/cli.ts';
import { startTickEnv } from '../support/tick-env.ts';

// The CLI against the test's Temporal (TEMPORAL_ADDRESS, so no embedded stack) and database, with
// this file's in-process worker on its own task queue.
const env = await startTickEnv();
const cliEnv = {
  DATABASE_URL: env.gw.database.url,
  TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
  TEMPORAL_TASK_QUEUE: env.taskQueue,
};
const json = <T>(s: string) => JSON.parse(s) as T;

test('personas run: a campaign to its end with a report; report and compare read it back', async () => {
  const run = await runCli(
    ['run', '--label', 'base', '--trials', '2', '--concurrency', '2', '--json'],
    cliEnv,
  );
  assert.equal(run.code, 0, run.stderr);
  const out = json<{
    campaignId: string;
    ok: boolean;
    report: { ticks: number; modules: Record<string, { n: number }> };
  }>(run.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.report.ticks, 2);
  assert.ok(Object.keys(out.report.modules).length > 0);

  const report = await runCli(['report', 'base', '--json'], cliEnv);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(json<{ campaign: { id: string } }>(report.stdout).campaign.id, out.campaignId);
  const text = await runCli(['report', out.campaignId], cliEnv);
  assert.match(text.stdout, /base \(campaign-base-.*\): 2 ticks, scripted\/scripted-v1/);

  // Attaching to a finished campaign prints its report again.
  const attached = await runCli(['run', '--attach', out.campaignId, '--json'], cliEnv);
  assert.equal(attached.code, 0, attached.stderr);
  assert.equal(json<{ campaignId: string }>(attached.stdout).campaignId, out.campaignId);

  // The same campaign compared with itself: nothing regressed, exit 0; files written.
  const dir = await tempDir();
  const junit = path.join(dir.dir, 'junit.xml');
  const md = path.join(dir.dir, 'verdict.md');
  const same = await runCli(['compare', 'base', out.campaignId, '--junit', junit, '--markdown', md], cliEnv);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /^no regression/);
  assert.match(await readFile(junit, 'utf8'), /<testsuites name="personas compare base → base"/);
  assert.match(await readFile(md, 'utf8'), /\| module \| baseline ★ \|/);
});

test('bad input exits 2 and says what is wrong: unknown label, empty campaign, bad flags', async () => {
  const unknown = await runCli(['compare', 'nope', 'base'], cliEnv);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no campaign with id or label "nope"/);
  await env.query(
    `INSERT INTO campaigns (id, label, provider, model, catalog_hash, product_fingerprint, prompt_version, code_version, trials, seed_base, personas)
     VALUES ('campaign-empty', 'empty', 'scripted', 'scripted-v1', 'x', '{}', 'p', 'v', 1, 'default', 1)`,
  );
  const empty = await runCli(['report', 'empty'], cliEnv);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /campaign "empty" \(campaign-empty\) has no ticks/);
  const badTrials = await runCli(['run', '--trials', '0'], cliEnv);
  assert.equal(badTrials.code, 2);
  assert.match(badTrials.stderr, /--trials.*expected a whole number from 1 to 100/);
  const badPersona = await runCli(['run', '--persona', 'ghost@personas.test'], cliEnv);
  assert.equal(badPersona.code, 2);
  assert.match(badPersona.stderr, /--persona ghost@personas.test: no such persona/);
  const attach = await runCli(['run', '--attach', 'campaign-nope'], cliEnv);
  assert.equal(attach.code, 2);
  assert.match(attach.stderr, /--attach campaign-nope: no such campaign/);
});
