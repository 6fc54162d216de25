// The bug no rating or error rate can see: the candidate's todo_create silently drops the due date
// (GATEWAY_FAULTS dropFields). Every call succeeds, every rating is what it was; only the goals that
// check the product's end state ("a todo … due tomorrow") fail — and compare says so, exit 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/cli.ts';
import { startTestSignalStack } from '../support/signal-stack.ts';

const { stack, database } = await startTestSignalStack(
  JSON.stringify({ todo_create: { dropFields: ['due_date'] } }),
);

const baseline = await stack.campaign('silent-baseline', { trials: 3 });
const candidate = await stack.campaign('silent-candidate', { faulty: true, trials: 3 });

interface Row {
  name: string;
  verdict: string;
  baseline: { mean: number };
  candidate: { mean: number };
}

test('due dates silently dropped: no error, no rating moves, the todos goals regress, exit 1', async () => {
  const r = await runCli(['compare', baseline, candidate, '--json'], { DATABASE_URL: database.url });
  assert.equal(r.code, 1, r.stderr);
  const c = JSON.parse(r.stdout) as { regressed: string[]; goals: Row[]; modules: Row[]; tools: Row[] };
  assert.deepEqual(c.regressed, ['goals · todos'], JSON.stringify(c.goals));
  const goal = c.goals.find((g) => g.name === 'goals · todos')!;
  assert.ok(goal.baseline.mean > 0.9 && goal.candidate.mean < 0.1, JSON.stringify(goal));
  // What every other signal sees: nothing. (Ratings move a little between any two campaigns: each
  // persona's product holds what earlier campaigns left, so a list answers longer or shorter.)
  for (const m of c.modules)
    assert.ok(
      Math.abs(m.candidate.mean - m.baseline.mean) < 0.3 && m.verdict !== 'regressed',
      JSON.stringify(m),
    );
  const todoCreate = c.tools.find((t) => t.name === 'todo_create')!;
  assert.equal(todoCreate.candidate.mean, 0, 'todo_create never failed');
  const [errors] = (
    await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM persona_actions a JOIN persona_ticks t ON t.id = a.tick_id
        WHERE t.campaign_id = $1 AND a.tool_name = 'todo_create' AND a.error_class IN ('product', 'infra')`,
      [candidate],
    )
  ).rows;
  assert.equal(errors!.n, 0, 'no product or infra error of todo_create (the persona’s own slips aside)');
});

test('A/A: the same product twice, the goals unchanged', async () => {
  const c = await stack.compare(baseline, baseline);
  assert.deepEqual(c.regressed, []);
  assert.equal(c.goals.find((g) => g.name === 'goals · todos')?.verdict, 'unchanged');
});
