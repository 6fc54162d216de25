import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { TrialData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS, type Comparison } from '../../lib/verdicts/compare.ts';
import { formatComparison } from '../../lib/verdicts/format-comparison.ts';
import { gateFails } from '../../lib/verdicts/gate.ts';
import { toJUnit } from '../../lib/verdicts/junit.ts';
import { campaignReport } from '../../lib/verdicts/report.ts';
import { lowerModule, syntheticCampaign, type SyntheticOptions } from '../support/synthetic-campaign.ts';

// 11 personas × 3 trials, as the catalog runs; the candidate replays the baseline's days (same
// seeds, same noise: the scripted persona) with one change at a time.
const SAME = { personas: 11, trials: 3, seedBase: 'day', noise: 'replay' } satisfies SyntheticOptions;
const baseline = syntheticCampaign('baseline', SAME);
const candidate = (change?: SyntheticOptions['change'], o: Partial<SyntheticOptions> = {}) =>
  syntheticCampaign('candidate', { ...SAME, ...o, ...(change && { change }) });
const row = (c: Comparison, name: string) =>
  [...c.health, ...c.goals, ...c.modules, ...c.tools].find((r) => r.name === name)!;
const junitCases = (c: Comparison, gate = {}) => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(toJUnit(c, gate));
  return (xml.testsuites.testsuite as Array<{ name: string; testcase?: unknown }>).flatMap((s) =>
    [s.testcase ?? []]
      .flat()
      .map((k) => ({ suite: s.name, ...(k as { name: string; failure?: { type: string } }) })),
  );
};

test('identical campaigns: nothing regressed, every row unchanged, nobody hurt, exit 0', () => {
  const c = compareCampaigns(baseline, candidate());
  assert.equal(c.paired, true);
  assert.deepEqual(c.regressed, []);
  assert.deepEqual(
    [...c.health, ...c.goals, ...c.modules, ...c.tools]
      .filter((r) => r.verdict !== 'unchanged')
      .map((r) => r.name),
    ['space_list'],
    'only the rare tool (too few personas) is not shown unchanged',
  );
  assert.deepEqual(c.hurt, []);
  assert.equal(gateFails(c), false);
});

test('a broken tool regresses its module and itself, nothing else; JUnit and Markdown carry both intervals', () => {
  const broken = (t: TrialData): TrialData => {
    if (!t.actions.some((a) => a.tool === 'todo_complete')) return t;
    const actions = t.actions.map((a) =>
      a.tool === 'todo_complete' ? { ...a, errorClass: 'product' as const } : a,
    );
    return { ...t, actions, ratings: { ...t.ratings, todos: Math.min(2, t.ratings.todos ?? 2) } };
  };
  const c = compareCampaigns(baseline, candidate(broken));
  assert.deepEqual(c.regressed, ['pass^1', 'module todos', 'tool todo_complete']);
  const tool = row(c, 'todo_complete');
  assert.ok(tool.verdictInterval.lo > 0 && tool.verdictLevel > 0.95, JSON.stringify(tool));
  const failing = junitCases(c).filter((k) => k.failure);
  assert.deepEqual(
    failing.map((k) => k.name),
    ['pass^1', 'todos', 'todo_complete'],
  );
  const md = formatComparison(c, true);
  assert.match(md, /^### REGRESSED: pass\^1, module todos, tool todo_complete/);
  // The todos row shows the 95 % interval, the verdict's interval at its level, and what it could detect.
  // Only the three rows that changed share the family: each is judged at 5 %/3 one-sided.
  assert.match(
    md,
    /\| todos \| .* \| -\d\.\d\d \[-\d\.\d\d, -\d\.\d\d\] \| \[-\d\.\d\d, -\d\.\d\d\] at 96\.67 % \| \d\.\d\d★ \| 🔴 regressed \|/,
  );
  const todos = row(c, 'todos');
  assert.ok(
    todos.verdictInterval.lo <= todos.difference.lo && todos.verdictInterval.hi >= todos.difference.hi,
  );
  assert.equal(gateFails(c), true);
});

test('a silent bug: every call ok, every rating the same, the checked goal fails — only the goal row regresses', () => {
  const silent = (t: TrialData): TrialData => ({
    ...t,
    goals: Object.fromEntries(
      Object.entries(t.goals).map(([id, g]) => [id, { ...g, outcome: 'failed' as const }]),
    ),
  });
  const c = compareCampaigns(baseline, candidate(silent));
  assert.deepEqual(c.regressed, ['goals · todos', 'goal todo-goal']);
  const goal = row(c, 'goal todo-goal');
  assert.ok(goal.candidate.mean === 0 && goal.baseline.mean > 0.7, JSON.stringify(goal));
  assert.deepEqual(
    junitCases(c)
      .filter((k) => k.failure)
      .map((k) => [k.suite, k.name]),
    [
      ['personas.goals', 'goals · todos'],
      ['personas.goals', 'goal todo-goal'],
    ],
  );
  assert.match(
    formatComparison(c, true),
    /### Goals \(checked in the product\)[\s\S]*\| goals · todos \| .*🔴 regressed/,
  );
  // A check that could not run says nothing about the end state: not a regression.
  const checkDown = (t: TrialData): TrialData => ({
    ...t,
    goals: Object.fromEntries(
      Object.entries(t.goals).map(([id, g]) => [id, { ...g, outcome: 'check-error' as const }]),
    ),
  });
  const down = compareCampaigns(baseline, candidate(checkDown));
  assert.deepEqual(down.regressed, []);
  assert.equal(row(down, 'goals · todos').verdict, 'insufficient');
  const report = campaignReport(baseline);
  const outcomes = report.goals['todo-goal']!.outcomes;
  assert.equal(
    outcomes.achieved + outcomes.failed,
    baseline.trials.filter((t) => t.goals['todo-goal']).length,
  );
  assert.ok(report.goalModules.todos!.success.lo < report.goalModules.todos!.success.mean);
});

test('failed trials are a regression, never insufficient — at 11 personas and at 5', () => {
  const fail = (t: TrialData, _p: number, k: number): TrialData =>
    k >= 2 ? { ...t, status: 'failed', ratings: {}, actions: [] } : t;
  for (const personas of [11, 5]) {
    const base = syntheticCampaign('b', { ...SAME, personas });
    const c = compareCampaigns(base, syntheticCampaign('c', { ...SAME, personas, change: fail }));
    const completion = row(c, 'completion');
    assert.equal(completion.verdict, 'regressed', `${personas}: ${JSON.stringify(completion)}`);
    assert.ok(completion.difference.mean < -0.5);
    assert.ok(c.regressed.includes('completion'));
    assert.equal(gateFails(c), true);
  }
  // Trials that never ran at all count as failed, not as pairs to drop.
  const cut = syntheticCampaign('cut', SAME);
  const c = compareCampaigns(baseline, { ...cut, trials: cut.trials.filter((t) => t.trial === 1) });
  assert.equal(row(c, 'completion').verdict, 'regressed');
});

test('a module or tool that vanished is missing (exit 1); one too rare to tell is insufficient, with why', () => {
  const noJournal = (t: TrialData): TrialData => {
    const { journal: _, ...ratings } = t.ratings;
    return {
      ...t,
      ratings,
      actions: t.actions.filter((a) => a.tool !== 'journal_add' && a.tool !== 'space_list'),
    };
  };
  const c = compareCampaigns(baseline, candidate(noJournal));
  assert.equal(row(c, 'journal').verdict, 'missing');
  assert.equal(row(c, 'journal_add').verdict, 'missing');
  assert.deepEqual(c.missing, ['module journal', 'tool journal_add']);
  assert.ok(c.regressed.includes('module journal'));
  const rare = row(c, 'space_list');
  assert.equal(rare.verdict, 'insufficient');
  assert.match(
    rare.reason,
    /used by \d personas? in the baseline, never in the candidate; need \d+ to call it missing/,
  );
  assert.match(formatComparison(c), /^REGRESSED: module journal, tool journal_add/);
  assert.deepEqual(
    junitCases(c)
      .filter((k) => k.failure?.type === 'missing')
      .map((k) => k.name),
    ['journal', 'journal_add'],
  );
});

test('who got hurt: 3 of 11 personas −3★ on todos in every trial are listed, though the mean cannot call it', () => {
  const c = compareCampaigns(baseline, candidate(lowerModule('todos', 3, (p) => p < 3)));
  const todos = row(c, 'todos');
  assert.notEqual(todos.verdict, 'regressed');
  assert.ok(todos.detectable.effect !== null || todos.detectable.note, JSON.stringify(todos.detectable));
  const hurtTodos = c.hurt
    .filter((h) => h.module === 'todos')
    .map((h) => h.personaId)
    .sort();
  const rated = (p: number) => baseline.trials.some((t) => t.personaId === `persona-${p}` && t.ratings.todos);
  assert.deepEqual(
    hurtTodos,
    [0, 1, 2].filter(rated).map((p) => `persona-${p}`),
  );
  assert.deepEqual(
    c.hurt.filter((h) => h.module !== 'todos'),
    [],
    'nobody else',
  );
  assert.match(formatComparison(c), /Persona \d \(solo-dev\): todos −[23]\.\d★ in 3\/3 trials/);
  // JUnit: a test case per persona; failing only when the gate asks for it.
  assert.equal(junitCases(c).filter((k) => k.suite === 'personas.personas').length, hurtTodos.length);
  assert.equal(junitCases(c).filter((k) => k.failure).length, 0);
  const strict = junitCases(c, { failOnPersonaRegression: true }).filter((k) => k.failure);
  assert.equal(strict.length, hurtTodos.length);
  assert.equal(gateFails(c), false);
  assert.equal(gateFails(c, { failOnPersonaRegression: true }), true);
});

test('the minimum effect holds on paper: 3.7 − 4.0 is a 0.3★ drop', () => {
  const four = (t: TrialData): TrialData => ({
    ...t,
    ratings: t.ratings.habits ? { ...t.ratings, habits: 4 } : t.ratings,
  });
  const base = candidate(four);
  const lower = candidate((t) =>
    t.ratings.habits ? { ...t, ratings: { ...t.ratings, habits: 3.7 } } : four(t),
  );
  assert.equal(row(compareCampaigns(base, lower), 'habits').verdict, 'regressed');
  // The same drop under a larger minimum is smaller than what counts, and certainly so: unchanged.
  const tolerant = compareCampaigns(base, lower, { ...DEFAULT_COMPARE_OPTIONS, minRatingEffect: 0.31 });
  assert.equal(row(tolerant, 'habits').verdict, 'unchanged');
});

test('a tool is judged on product and infra errors; the persona’s own errors are shown beside it', () => {
  const clumsy = (t: TrialData): TrialData => ({
    ...t,
    actions: t.actions.map((a) => (a.tool === 'note_create' ? { ...a, errorClass: 'persona' as const } : a)),
  });
  const c = compareCampaigns(baseline, candidate(clumsy));
  const notes = c.tools.find((t) => t.name === 'note_create')!;
  assert.notEqual(notes.verdict, 'regressed');
  assert.ok(notes.counts.candidate.errorsByClass.persona > notes.counts.baseline.errorsByClass.persona);
  assert.match(formatComparison(c), /note_create .* \d+ → \d+ \/ 0 → 0/);
});

test('A/A with another model’s whims: nothing regressed; rows it could not settle say what they could detect', () => {
  const c = compareCampaigns(baseline, candidate(undefined, { noise: 'another-day' }));
  assert.deepEqual(c.regressed, []);
  const open = c.modules.filter((r) => r.verdict === 'inconclusive');
  assert.ok(open.length > 0);
  for (const r of open) assert.match(r.reason, /could detect \d\.\d\d★/);
});

test('too few personas: insufficient, saying how many the level needs; --fail-on-insufficient fails the gate', () => {
  const four = { ...SAME, personas: 4 };
  const c = compareCampaigns(syntheticCampaign('a', four), syntheticCampaign('b', { ...four, noise: 'x' }));
  const todos = row(c, 'todos');
  assert.equal(todos.verdict, 'insufficient');
  assert.match(todos.reason, /^\d personas, need 5$/);
  assert.equal(gateFails(c), false);
  assert.equal(gateFails(c, { failOnInsufficient: true }), true);
});

test('each row draws from its own seed: a row’s numbers do not depend on the rows before it', () => {
  // 20 personas: beyond exact enumeration, so sign patterns are sampled.
  const many = { ...SAME, personas: 20 };
  const a = syntheticCampaign('a', many);
  const b = syntheticCampaign('b', { ...many, noise: 'other' });
  const without = (d: typeof a) => ({
    ...d,
    trials: d.trials.map((t) => ({
      ...t,
      ratings: t.ratings.todos ? { todos: t.ratings.todos } : ({} as Record<string, number>),
    })),
  });
  const all = row(compareCampaigns(a, b), 'todos');
  const alone = row(compareCampaigns(without(a), without(b)), 'todos');
  assert.deepEqual(alone.difference, all.difference);
});

test('report: completion (completed and rated), pass^k per persona and overall', () => {
  const data = syntheticCampaign('r', {
    ...SAME,
    change: (t, p, k) => ({
      ...t,
      ratings: Object.fromEntries(Object.keys(t.ratings).map((m) => [m, p === 1 && k === 2 ? 2 : 4])),
      actions: p === 0 && k === 1 ? [{ tool: 'todo_create', errorClass: 'product' }] : [],
      status: p === 2 && k === 3 ? 'failed' : 'completed',
    }),
  });
  const r = campaignReport(data);
  assert.equal(r.completion.completed, 32);
  assert.equal(r.passK.perPersona.filter((p) => !p.passAll).length, 3);
  assert.ok(Math.abs(r.passK.byK['1']! - 30 / 33) < 1e-9);
  assert.ok(Math.abs(r.passK.byK['3']! - 8 / 11) < 1e-9);
  assert.equal(r.tools.todo_create!.errorsByClass.product, 1);
});
