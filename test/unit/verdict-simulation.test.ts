import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareCampaigns } from '../../lib/verdicts/compare.ts';
import { lowerModule, syntheticCampaign } from '../support/synthetic-campaign.ts';

// The verdicts' level, simulated at the sizes people run: 5, 8 and 11 personas, K = 3 trials, with
// persona random effects, days shared by paired campaigns, tick-clustered tool errors (synthetic-
// campaign.ts). An unchanged product compared with itself (A/A) — half paired by seed, half on other
// seeds — must raise a row's "worse" at no more than its nominal level, and anything at all in at
// most 5 % of comparisons over the whole default family (completion, pass^1, 4 modules, 9 tools).
// Deterministic: every campaign is seeded by its index.
const COMPARISONS = 1000;
const POWER_RUNS = 300;
const TRIALS = 3;

function aa(personas: number, i: number) {
  const paired = i % 2 === 0;
  const a = syntheticCampaign(`a${i}`, { personas, trials: TRIALS, seedBase: `s${i}`, noise: `a${i}` });
  const b = syntheticCampaign(`b${i}`, {
    personas,
    trials: TRIALS,
    seedBase: paired ? `s${i}` : `t${i}`,
    noise: `b${i}`,
  });
  return { a, b, paired };
}

for (const personas of [5, 8, 11]) {
  test(`A/A at ${personas} personas × ${TRIALS} trials: each row at or below its level, ≤ 5 % family-wise`, (t) => {
    const rows = new Map<string, { alarms: number; nominal: number }>();
    let flagged = 0;
    let hurt = 0;
    for (let i = 0; i < COMPARISONS; i++) {
      const { a, b, paired } = aa(personas, i);
      const c = compareCampaigns(a, b);
      if (c.regressed.length) flagged++;
      // Only paired trials can list someone as hurt: counted over the paired half.
      if (paired && c.hurt.length) hurt++;
      for (const r of [...c.health, ...c.modules, ...c.tools]) {
        const s = rows.get(`${r.kind} ${r.name}`) ?? { alarms: 0, nominal: 0 };
        // A row's nominal rate: its one-sided level whenever it was in the family (else it cannot fire).
        if (r.inFamily) {
          s.nominal += c.family.tail;
          if (r.pValue <= c.family.tail) s.alarms++;
        }
        rows.set(`${r.kind} ${r.name}`, s);
      }
    }
    let alarms = 0;
    let nominal = 0;
    for (const [name, s] of rows) {
      alarms += s.alarms;
      nominal += s.nominal;
      // The exact test keeps its level; binomial noise over these comparisons is allowed for.
      assert.ok(
        s.alarms <= s.nominal + 3 * Math.sqrt(s.nominal) + 1,
        `${name}: ${s.alarms} > ${s.nominal.toFixed(1)}`,
      );
    }
    assert.ok(alarms <= nominal, `all rows: ${alarms} alarms, nominal ${nominal.toFixed(1)}`);
    const familyWise = flagged / COMPARISONS;
    assert.ok(familyWise <= 0.05, `family-wise ${familyWise}`);
    t.diagnostic(
      `${personas} personas: family-wise false alarms ${(familyWise * 100).toFixed(1)} % (${flagged}/${COMPARISONS}); ` +
        `rows "worse" at p ≤ level ${alarms} vs ${nominal.toFixed(1)} nominal; someone listed as hurt in ${((hurt / (COMPARISONS / 2)) * 100).toFixed(1)} % of the paired ones`,
    );
  });
}

test(`power: a 1★ drop of one module at 5, 8 and 11 personas × ${TRIALS} trials`, (t) => {
  const power: Record<number, number> = {};
  for (const personas of [5, 8, 11]) {
    let caught = 0;
    for (let i = 0; i < POWER_RUNS; i++) {
      const { a, paired } = aa(personas, i);
      const b = syntheticCampaign(`b${i}`, {
        personas,
        trials: TRIALS,
        seedBase: paired ? `s${i}` : `t${i}`,
        noise: `b${i}`,
        change: lowerModule('todos', 1),
      });
      if (compareCampaigns(a, b).regressed.includes('module todos')) caught++;
    }
    power[personas] = caught / POWER_RUNS;
  }
  t.diagnostic(`1★ drop on todos caught: ${JSON.stringify(power)}`);
  // Nothing can be judged on 5 personas (a single row at most); the others must see a 1★ drop.
  assert.ok(power[11]! >= 0.6 && power[11]! >= power[8]!, JSON.stringify(power));
});
