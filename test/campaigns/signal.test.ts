import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { campaignReport } from '../../lib/verdicts/report.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { startTestSignalStack } from '../support/signal-stack.ts';
import { copyCampaign } from '../support/campaign-copy.ts';

// The proof that a seeded bug is caught: the 11 catalog personas, scripted, K = 5, the candidate's
// todo_create failing every call — a bug large enough to be caught every time, so the test fails only
// when the signal does. bench:signal measures how often subtler bugs are caught (README, "Signal").
const TRIALS = 5;
const SEEDED_BUG = 'todo_create';
const { stack, database } = await startTestSignalStack(JSON.stringify({ [SEEDED_BUG]: { errorRate: 1 } }));
const cliEnv = { DATABASE_URL: database.url };

const baseline = await stack.campaign('baseline', { trials: TRIALS });
const broken = await stack.campaign('broken', { faulty: true, trials: TRIALS });
const again = await stack.campaign('baseline-again', { seedBase: 'another-day', trials: TRIALS });

test(`a candidate with ${SEEDED_BUG} failing 100 %: compare flags module todos and tool ${SEEDED_BUG}, nothing else, exit 1`, async () => {
  const dir = await tempDir();
  const junit = path.join(dir.dir, 'junit.xml');
  const r = await runCli(['compare', 'baseline', 'broken', '--junit', junit, '--json'], cliEnv);
  assert.equal(r.code, 1, r.stderr);
  const c = JSON.parse(r.stdout) as {
    regressed: string[];
    paired: boolean;
    tools: Array<{ name: string }>;
    modules: Array<{ name: string }>;
  };
  const row = JSON.stringify(c.tools.find((t) => t.name === SEEDED_BUG));
  assert.equal(c.paired, true);
  assert.ok(
    c.regressed.includes('module todos'),
    `${c.regressed.join(', ')}; ${JSON.stringify(c.modules.find((m) => m.name === 'todos'))}`,
  );
  assert.ok(c.regressed.includes(`tool ${SEEDED_BUG}`), `${c.regressed.join(', ')}; ${row}`);
  assert.deepEqual(
    c.regressed.filter((x) => x.startsWith('module ')),
    ['module todos'],
    'no other module is flagged',
  );
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    await readFile(junit, 'utf8'),
  );
  const failing = (
    xml.testsuites.testsuite as Array<{ testcase: Array<{ name: string; failure?: unknown }> }>
  )
    .flatMap((s) => s.testcase)
    .filter((k) => k.failure)
    .map((k) => k.name);
  assert.ok(failing.includes('todos') && failing.includes(SEEDED_BUG), failing.join(', '));
  // The todos goals (a todo created during the tick) are not achieved any more, and say so.
  assert.ok(c.regressed.includes('goals · todos'), c.regressed.join(', '));
  const goals = (c as unknown as { goals: Array<{ name: string; candidate: { mean: number } }> }).goals;
  assert.ok(goals.find((g) => g.name === 'goals · todos')!.candidate.mean < 0.05, JSON.stringify(goals));

  // ≥ 95 % of the broken tool's errors are product-class.
  const tool = campaignReport(await loadCampaignData(database.db, broken)).tools[SEEDED_BUG]!;
  assert.ok(tool.calls >= 5, `${SEEDED_BUG} was called ${tool.calls} times`);
  assert.ok(tool.errorsByClass.product / tool.errors >= 0.95, JSON.stringify(tool.errorsByClass));
});

test('A/A: the same product twice is not flagged — paired (same seeds) or not (other seeds)', async () => {
  const unpaired = await runCli(['compare', baseline, again, '--json'], cliEnv);
  assert.equal(unpaired.code, 0, unpaired.stdout.slice(0, 2000));
  assert.equal((JSON.parse(unpaired.stdout) as { paired: boolean }).paired, false);
  const c = await stack.compare(baseline, baseline);
  assert.deepEqual(c.regressed, []);
});

// The gate's holes, on copies of the baseline changed in SQL (test/support/campaign-copy.ts): every
// persona, seed and rating is the baseline's except what each copy breaks.
type Row = { name: string; verdict: string; reason: string };
const compareJson = async (candidate: string, ...flags: string[]) => {
  const r = await runCli(['compare', baseline, candidate, '--json', ...flags], cliEnv);
  const c = JSON.parse(r.stdout) as {
    regressed: string[];
    health: Row[];
    modules: Row[];
    tools: Row[];
    hurt: Array<{ name: string; module: string; trials: number }>;
  };
  return { code: r.code, c, rows: [...c.health, ...c.modules, ...c.tools] };
};

test('failed trials: trials 2–5 of every persona failed (no ratings, no actions) → completion regressed, exit 1', async () => {
  const failed = await copyCampaign(database.pool, baseline, 'failed-trials', {
    sql: [
      "UPDATE t SET status = 'failed' WHERE trial >= 2",
      "DELETE FROM f WHERE tick_id IN (SELECT id FROM t WHERE status = 'failed')",
      "DELETE FROM a WHERE tick_id IN (SELECT id FROM t WHERE status = 'failed')",
    ],
  });
  const { code, c, rows } = await compareJson(failed);
  assert.equal(code, 1);
  assert.equal(rows.find((r) => r.name === 'completion')?.verdict, 'regressed', JSON.stringify(c.health));
  assert.ok(c.regressed.includes('completion'));
});

test('a vanished module: journal never rated and journal_add never called → missing, exit 1', async () => {
  const vanished = await copyCampaign(database.pool, baseline, 'no-journal', {
    sql: ["DELETE FROM f WHERE module = 'journal'", "DELETE FROM a WHERE tool_name = 'journal_add'"],
  });
  const { code, c, rows } = await compareJson(vanished);
  assert.equal(code, 1);
  const journal = rows.find((r) => r.name === 'journal')!;
  assert.equal(journal.verdict, 'missing', JSON.stringify(journal));
  assert.match(journal.reason, /used by \d+ personas in the baseline, never in the candidate/);
  assert.ok(c.regressed.includes('module journal'), c.regressed.join(', '));
});

test('who got hurt: three personas −3★ on todos in every trial are listed; --fail-on-persona-regression gates on them', async () => {
  // Three personas who rated todos in every trial, never below 2 (so each can drop): −3★ each time.
  const three = `SELECT t.persona_id FROM t JOIN f ON f.tick_id = t.id WHERE f.module = 'todos'
                 GROUP BY t.persona_id HAVING min(f.rating) >= 2 AND count(*) = ${TRIALS}
                 ORDER BY t.persona_id LIMIT 3`;
  const hurt = await copyCampaign(database.pool, baseline, 'three-hurt', {
    sql: [
      `UPDATE f SET rating = greatest(1, rating - 3) WHERE module = 'todos'
         AND tick_id IN (SELECT id FROM t WHERE persona_id IN (${three}))`,
    ],
  });
  const { code, c } = await compareJson(hurt);
  assert.equal(code, 0, 'not a gate failure by default');
  assert.deepEqual(
    c.hurt.map((h) => [h.module, h.trials]),
    [
      ['todos', TRIALS],
      ['todos', TRIALS],
      ['todos', TRIALS],
    ],
  );
  const text = await runCli(['compare', baseline, hurt], cliEnv);
  assert.match(text.stdout, new RegExp(`\\(\\S+\\): todos −[123]\\.\\d★ in ${TRIALS}/${TRIALS} trials`));
  const strict = await compareJson(hurt, '--fail-on-persona-regression');
  assert.equal(strict.code, 1);
});
