import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { CampaignData, TrialData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS } from '../../lib/verdicts/compare.ts';
import { formatComparison } from '../../lib/verdicts/format.ts';
import { toJUnit } from '../../lib/verdicts/junit.ts';
import { campaignReport } from '../../lib/verdicts/report.ts';
import { seededRng } from '../../lib/verdicts/rng.ts';

/** A synthetic campaign: 11 personas × 3 trials; `shape` decides each trial's ratings and actions. */
function campaign(
  id: string,
  shape: (persona: number, trial: number, rnd: () => number) => Partial<TrialData>,
): CampaignData {
  const rnd = seededRng(id);
  const trials: TrialData[] = [];
  for (let p = 0; p < 11; p++)
    for (let t = 1; t <= 3; t++)
      trials.push({
        tickId: `${id}-${p}-${t}`,
        personaId: `persona-${p}`,
        trial: t,
        trialSeed: `default/p${p}/${t}`,
        status: 'completed',
        tokens: 1000,
        costUsd: 0,
        ratings: {},
        actions: [],
        ...shape(p, t, rnd),
      });
  return {
    campaign: {
      id,
      label: id,
      provider: 'scripted',
      model: 'scripted-v1',
      catalogHash: 'c',
      productFingerprint: {},
      promptVersion: 'p',
      codeVersion: 'v',
      trials: 3,
      seedBase: 'default',
      personas: 11,
      status: 'completed',
      startedAt: new Date(0),
      endedAt: new Date(0),
      summary: null,
    },
    trials,
  };
}

const baseShape = (broken: boolean) => (p: number, t: number, rnd: () => number) => {
  // Same day per (persona, trial) in both campaigns, except what the broken tool changes.
  const day = seededRng(`p${p}t${t}`);
  const noise = () => (day() < 0.3 ? 1 : 0);
  const completes = Array.from({ length: 2 }, () => ({
    tool: 'todo_complete',
    errorClass: broken ? ('product' as const) : null,
  }));
  const notes = Array.from({ length: 2 }, () => ({
    tool: 'note_create',
    errorClass: rnd() < 0.05 ? ('persona' as const) : null,
  }));
  return {
    ratings: { todos: 5 - noise() - (broken ? 2 : 0), notes: 5 - noise() },
    actions: [...completes, ...notes],
  };
};

test('a broken tool regresses its module and itself, nothing else; exit-worthy; JUnit and Markdown carry it', () => {
  const base = campaign('baseline', baseShape(false));
  const cand = campaign('candidate', baseShape(true));
  const c = compareCampaigns(base, cand);
  assert.equal(c.paired, true);
  assert.deepEqual(c.regressed, ['module todos', 'tool todo_complete']);
  const todos = c.modules.find((m) => m.module === 'todos')!;
  assert.equal(todos.diff.estimate, -2);
  assert.equal(c.modules.find((m) => m.module === 'notes')!.verdict, 'unchanged');

  const xml = toJUnit(c);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suites = parsed.testsuites;
  assert.equal(suites.tests, '4');
  assert.equal(suites.failures, '2');
  const cases = suites.testsuite.flatMap((s: { testcase: unknown }) => s.testcase);
  assert.equal(cases.length, 4);
  const failing = cases.filter((k: { failure?: unknown }) => k.failure);
  assert.deepEqual(failing.map((k: { name: string }) => k.name).sort(), ['todo_complete', 'todos']);
  assert.match(
    failing.find((k: { name: string }) => k.name === 'todo_complete').failure.message,
    /0\.0 % \(0\/66\) → 100\.0 % \(66\/66\)/,
  );
  assert.match(
    formatComparison(c, true),
    /\| todos \| 4\.79 \(n=33\) \| 2\.79 \(n=33\) \| -2\.00 .* \| 🔴 regressed \|/,
  );
});

test('A/A: the same product twice is not flagged; unpaired seeds are compared as independent samples', () => {
  const a = campaign('a1', baseShape(false));
  const b = campaign('a2', (p, t, rnd) => ({
    ...baseShape(false)(p, t, rnd),
    trialSeed: `other/p${p}/${t}`,
  }));
  const c = compareCampaigns(a, b);
  assert.equal(c.paired, false);
  assert.deepEqual(c.regressed, []);
  assert.ok(c.modules.every((m) => !m.paired));
});

test('minimum effects: a real but small drop is not a regression; a lower minimum flags it', () => {
  const base = campaign('b', () => ({ ratings: { habits: 4 } }));
  const cand = campaign('c', () => ({ ratings: { habits: 3.8 } }));
  assert.deepEqual(compareCampaigns(base, cand).regressed, []);
  const strict = compareCampaigns(base, cand, { ...DEFAULT_COMPARE_OPTIONS, minRatingEffect: 0.1 });
  assert.deepEqual(strict.regressed, ['module habits']);
});

test('report: completion, pass^k per persona and overall', () => {
  // Persona 0 fails trial 1 with a product error; persona 1 rates a module 2 in trial 2.
  const data = campaign('r', (p, t) => ({
    ratings: { todos: p === 1 && t === 2 ? 2 : 4 },
    actions: p === 0 && t === 1 ? [{ tool: 'todo_create', errorClass: 'product' }] : [],
    status: p === 2 && t === 3 ? 'failed' : 'completed',
  }));
  const r = campaignReport(data);
  assert.equal(r.completion.completed, 32);
  assert.equal(r.passK.perPersona.filter((p) => !p.passAll).length, 3);
  // pass^1 = 30/33 trials; pass^3 = 8 of 11 personas passed all three.
  assert.ok(Math.abs(r.passK.byK['1']! - 30 / 33) < 1e-9);
  assert.ok(Math.abs(r.passK.byK['3']! - 8 / 11) < 1e-9);
  assert.equal(r.tools.todo_create!.byClass.product.errors, 1);
});

test('a module rated by fewer than minPersonas personas is insufficient, not a confident verdict', () => {
  // Two personas (of 11) rate notes; each drops by exactly 0.5 in the candidate: a paired bootstrap
  // over two clusters whose differences are equal has a zero-width interval, [-0.5, -0.5].
  const shape =
    (drop: number) =>
    (p: number): Partial<TrialData> => ({ ratings: p < 2 ? { notes: 5 - drop } : {} });
  const base = campaign('few-base', shape(0));
  const cand = campaign('few-cand', shape(0.5));
  const guarded = compareCampaigns(base, cand);
  const notes = guarded.modules.find((m) => m.module === 'notes')!;
  assert.equal(notes.verdict, 'insufficient');
  assert.deepEqual(guarded.regressed, []);
  // The fault the guard is for: without it, four ratings make a "regression".
  const unguarded = compareCampaigns(base, cand, { ...DEFAULT_COMPARE_OPTIONS, minPersonas: 2 });
  const n = unguarded.modules.find((m) => m.module === 'notes')!;
  assert.equal(n.verdictInterval.lo, n.verdictInterval.hi);
  assert.deepEqual(unguarded.regressed, ['module notes']);
  assert.match(formatComparison(guarded), /fewer than 5 personas is insufficient/);
});
