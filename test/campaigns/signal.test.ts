import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { XMLParser } from 'fast-xml-parser';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { campaignReport } from '../../lib/verdicts/report.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { freshDatabase, testLogger } from '../support/database.ts';
import { startSignalStack } from '../support/signal-stack.ts';

// The proof that a seeded bug is caught (issue 10): the 11 catalog personas, scripted, K = 5, the
// candidate's todo_create failing every call. bench:signal seeds a subtler bug (todo_complete, ≈ −0.5★)
// and reports how often it is caught: it sits at the edge of the family-wise interval over 11 personas
// (its upper bound read −0.24 … +0.04 over runs at K = 5), so a test on it would fail now and then for
// want of power, not of a fault. A broken todo_create drops todos by ≈ 1.9★ (interval ≈ [−2.6, −1.2]):
// caught every time, and still only todos and that tool may be flagged.
const TRIALS = 5;
const SEEDED_BUG = 'todo_create';
const address = process.env.TEMPORAL_ADDRESS!;
const database = await freshDatabase();
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const stack = await startSignalStack({
  database,
  client,
  temporalAddress: address,
  logger: testLogger,
  faults: JSON.stringify({ [SEEDED_BUG]: { errorRate: 1 } }),
});
after(async () => {
  await stack.stop();
  await connection.close();
});
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
    tools: Array<{ tool: string }>;
    modules: Array<{ module: string }>;
  };
  const row = JSON.stringify(c.tools.find((t) => t.tool === SEEDED_BUG));
  assert.equal(c.paired, true);
  assert.ok(
    c.regressed.includes('module todos'),
    `${c.regressed.join(', ')}; ${JSON.stringify(c.modules.find((m) => m.module === 'todos'))}`,
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

  // ≥ 95 % of the broken tool's errors are product-class.
  const tool = campaignReport(await loadCampaignData(database.db, broken)).tools[SEEDED_BUG]!;
  assert.ok(tool.calls >= 5, `${SEEDED_BUG} was called ${tool.calls} times`);
  assert.ok(tool.byClass.product.errors / tool.errors >= 0.95, JSON.stringify(tool.byClass));
});

test('A/A: the same product twice is not flagged — paired (same seeds) or not (other seeds)', async () => {
  const unpaired = await runCli(['compare', baseline, again, '--json'], cliEnv);
  assert.equal(unpaired.code, 0, unpaired.stdout.slice(0, 2000));
  assert.equal((JSON.parse(unpaired.stdout) as { paired: boolean }).paired, false);
  const c = await stack.compare(baseline, baseline);
  assert.deepEqual(c.regressed, []);
});
