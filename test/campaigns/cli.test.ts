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

  // The output convention (issue 24): --markdown [file], --junit file, the same for report, run, compare.
  const dir = await tempDir();
  const mdStdout = await runCli(['report', 'base', '--markdown'], cliEnv);
  assert.equal(mdStdout.code, 0, mdStdout.stderr);
  assert.match(mdStdout.stdout, /^\| module \| mean ★ \|/m);
  const reportMd = path.join(dir.dir, 'report.md');
  const reportXml = path.join(dir.dir, 'report.xml');
  const files = await runCli(['report', 'base', '--markdown', reportMd, '--junit', reportXml], cliEnv);
  assert.equal(files.code, 0, files.stderr);
  assert.match(files.stdout, /^base \(campaign-base-/, 'stdout keeps the text when --markdown names a file');
  assert.match(await readFile(reportMd, 'utf8'), /^\| module \| mean ★ \|/m);
  assert.match(
    await readFile(reportXml, 'utf8'),
    /<testsuites name="personas report base" tests="\d+" failures="0"/,
  );
  // report reads only the database: a worker setting cannot stop it.
  const claude = await runCli(['report', 'base'], { ...cliEnv, LLM_PROVIDER: 'claude' });
  assert.equal(claude.code, 0, claude.stderr);

  // A second campaign with the same seeds; run writes the same files as report.
  const runXml = path.join(dir.dir, 'run.xml');
  const cand = await runCli(
    ['run', '--label', 'cand', '--trials', '2', '--concurrency', '2', '--markdown', '--junit', runXml],
    cliEnv,
  );
  assert.equal(cand.code, 0, cand.stderr);
  assert.match(cand.stdout, /^\| module \| mean ★ \|/m);
  assert.match(await readFile(runXml, 'utf8'), /<testsuites name="personas report cand"/);

  // compare: files written, verdict text on stdout, no colour codes when piped.
  const junit = path.join(dir.dir, 'junit.xml');
  const md = path.join(dir.dir, 'verdict.md');
  const same = await runCli(['compare', 'base', 'cand', '--junit', junit, '--markdown', md], cliEnv);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /^no regression/);
  assert.ok(!same.stdout.includes('\u001b['), 'no ANSI colour when piped');
  assert.match(await readFile(junit, 'utf8'), /<testsuites name="personas compare base → cand"/);
  assert.match(await readFile(md, 'utf8'), /\| module \| baseline ★ \|/);

  // personas campaigns: both, newest first; one label; JSON.
  const list = await runCli(['campaigns'], cliEnv);
  assert.equal(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    /^label +status +personas × trials +provider\/model +code +started \(UTC\) +ended +id$/m,
  );
  assert.match(list.stdout, /^cand +completed +1 × 2 +scripted\/scripted-v1 .*\n^base +completed +1 × 2 /m);
  const one = await runCli(['campaigns', 'list', '--label', 'base', '--json'], cliEnv);
  assert.equal(one.code, 0, one.stderr);
  const rows = json<Array<{ id: string; label: string; personas: number; trials: number; endedAt: string }>>(
    one.stdout,
  );
  assert.deepEqual(
    rows.map((r) => [r.id, r.label, r.personas, r.trials]),
    [[out.campaignId, 'base', 1, 2]],
  );
  assert.ok(rows[0]!.endedAt);

  // A campaign compared with itself, by label and id: refused.
  const self = await runCli(['compare', 'base', out.campaignId], cliEnv);
  assert.equal(self.code, 2, self.stderr);
  assert.match(self.stderr, new RegExp(`are the same campaign \\(${out.campaignId}\\)`));
});

test('unknown labels: did you mean …?', async () => {
  const compare = await runCli(['compare', 'bse', 'cand'], cliEnv);
  assert.equal(compare.code, 2);
  assert.match(
    compare.stderr,
    /^no campaign with id or label "bse": did you mean "base"\?; personas campaigns lists them/,
  );
  const list = await runCli(['campaigns', '--label', 'cnd'], cliEnv);
  assert.equal(list.code, 2);
  assert.match(list.stderr, /^no campaign labelled "cnd": did you mean "cand"\?/);
});

test('tick --wait with no worker on the task queue ends, saying how to start one (exit 1)', async () => {
  const r = await runCli(['tick', env.personaId, '--wait'], {
    ...cliEnv,
    TEMPORAL_TASK_QUEUE: `no-worker-${process.pid}`,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no worker polls task queue no-worker-\d+ .*the tick would never run/);
  assert.match(r.stderr, /`personas up`.*`personas worker`/);
  assert.doesNotMatch(r.stdout, /started/);
});

test('bad input exits 2 and says what is wrong: unknown label, empty campaign, bad flags', async () => {
  const unknown = await runCli(['compare', 'nope', 'base'], cliEnv);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no campaign with id or label "nope" \(personas run --label nope makes one\)/);
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
