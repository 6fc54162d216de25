import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clusteredMean,
  clusteredMeanDiff,
  pairedMeanDiff,
  type Clusters,
} from '../../lib/verdicts/bootstrap.ts';
import { newcombeDiff, wilson, zFor } from '../../lib/verdicts/intervals.ts';
import { seededRng } from '../../lib/verdicts/rng.ts';

const close = (actual: number, expected: number, tol = 5e-4, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} ≉ ${expected}`);

describe('closed-form intervals', () => {
  test('normal quantiles', () => {
    close(zFor(0.95), 1.959964, 1e-6);
    close(zFor(0.99), 2.575829, 1e-6);
    close(zFor(0.9), 1.644854, 1e-6);
  });

  test('Wilson against published values', () => {
    // Newcombe (1998), Statistics in Medicine 17:857, table I (method 3 = Wilson score).
    const w1 = wilson(81, 263);
    close(w1.lo, 0.2553, 5e-4, '81/263 lo');
    close(w1.hi, 0.3662, 5e-4, '81/263 hi');
    const w2 = wilson(15, 148);
    close(w2.lo, 0.0624, 5e-4, '15/148 lo');
    close(w2.hi, 0.1605, 5e-4, '15/148 hi');
    const w3 = wilson(0, 20);
    assert.equal(w3.lo, 0);
    close(w3.hi, 0.1611, 5e-4, '0/20 hi');
    const w4 = wilson(1, 29);
    close(w4.lo, 0.0061, 5e-4, '1/29 lo');
    close(w4.hi, 0.1718, 5e-4, '1/29 hi');
    assert.deepEqual(wilson(0, 0), { estimate: 0, lo: 0, hi: 1 });
  });

  test('Newcombe’s difference interval against the published example', () => {
    // Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80, method 10.
    const d = newcombeDiff(48, 80, 56, 70);
    close(d.estimate, 0.2, 1e-9);
    close(d.lo, 0.0524, 5e-4, 'lo');
    close(d.hi, 0.3339, 5e-4, 'hi');
    // (b) 9/10 vs 3/10 → 0.6 [0.1705, 0.8090]
    const e = newcombeDiff(3, 10, 9, 10);
    close(e.lo, 0.1705, 5e-4, 'b lo');
    close(e.hi, 0.809, 5e-4, 'b hi');
  });
});

/** Synthetic ratings: each persona has its own level (persona effect) plus trial noise. */
function synthetic(
  rng: () => number,
  personas: number,
  trials: number,
  mean: number,
  personaSd: number,
  noiseSd: number,
) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const c: Clusters = new Map();
  for (let p = 0; p < personas; p++) {
    const level = mean + personaSd * gauss();
    c.set(
      `p${p}`,
      Array.from({ length: trials }, () => level + noiseSd * gauss()),
    );
  }
  return c;
}

describe('cluster bootstrap', () => {
  test('constant data has a point interval; the same seed reproduces an interval exactly', () => {
    const flat: Clusters = new Map([
      ['a', [4, 4]],
      ['b', [4, 4, 4]],
    ]);
    assert.deepEqual(clusteredMean(flat, seededRng('x')), { estimate: 4, lo: 4, hi: 4 });
    const data = synthetic(seededRng('data'), 11, 3, 4, 0.5, 0.5);
    assert.deepEqual(clusteredMean(data, seededRng('s')), clusteredMean(data, seededRng('s')));
    assert.notDeepEqual(clusteredMean(data, seededRng('s')), clusteredMean(data, seededRng('t')));
  });

  test('95 % intervals cover the true mean about 95 % of the time, with persona effects (clustered data)', () => {
    const gen = seededRng('coverage');
    let covered = 0;
    let coveredDiff = 0;
    const runs = 300;
    for (let i = 0; i < runs; i++) {
      const a = synthetic(gen, 30, 3, 3.5, 0.6, 0.4);
      const b = synthetic(gen, 30, 3, 3.0, 0.6, 0.4);
      const iv = clusteredMean(a, seededRng(`r${i}`), 0.95, 1000);
      if (iv.lo <= 3.5 && 3.5 <= iv.hi) covered++;
      const d = clusteredMeanDiff(a, b, seededRng(`d${i}`), 0.95, 1000);
      if (d.lo <= -0.5 && -0.5 <= d.hi) coveredDiff++;
    }
    // Percentile bootstrap slightly under-covers at 30 clusters; a resampler of single ratings
    // (ignoring the persona effect) would cover only about 70 % here.
    assert.ok(covered / runs >= 0.88 && covered / runs <= 0.99, `mean coverage ${covered / runs}`);
    assert.ok(
      coveredDiff / runs >= 0.88 && coveredDiff / runs <= 0.99,
      `difference coverage ${coveredDiff / runs}`,
    );
  });

  test('a paired difference sees a known shift that independent samples of the same size cannot', () => {
    const gen = seededRng('paired');
    const base = synthetic(gen, 11, 3, 4, 0.8, 0.3);
    // The candidate is the baseline's trials, each 0.3★ lower: the true paired difference is −0.3.
    const diffs: Clusters = new Map([...base].map(([p, xs]) => [p, xs.map(() => -0.3)]));
    const paired = pairedMeanDiff(diffs, seededRng('p'));
    close(paired.estimate, -0.3, 1e-9);
    assert.ok(paired.hi < 0, 'paired interval excludes zero');
    const cand: Clusters = new Map([...base].map(([p, xs]) => [p, xs.map((x) => x - 0.3)]));
    const unpaired = clusteredMeanDiff(base, cand, seededRng('u'));
    close(unpaired.estimate, -0.3, 1e-9);
    assert.ok(unpaired.lo < 0 && unpaired.hi > 0, 'independent samples: too wide to tell');
  });
});
