import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectable } from '../../lib/verdicts/detectable.ts';
import { chooseFamily } from '../../lib/verdicts/family.ts';
import { meanInterval, shareInterval } from '../../lib/verdicts/intervals.ts';
import { flipInterval, personasNeeded, pValue, signFlip, smallestP } from '../../lib/verdicts/sign-flip.ts';
import { tQuantile } from '../../lib/verdicts/student-t.ts';
import { seededRng } from '../../lib/verdicts/rng.ts';
import type { PersonaDifference } from '../../lib/verdicts/trial-values.ts';

const close = (actual: number, expected: number, tol = 5e-4, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} ≉ ${expected}`);

describe('t distribution and the per-persona t interval', () => {
  test('quantiles against published tables', () => {
    close(tQuantile(0.975, 10), 2.228, 1e-3);
    close(tQuantile(0.995, 4), 4.604, 1e-3);
    close(tQuantile(0.95, 1), 6.314, 1e-3);
    close(tQuantile(0.8, 10), 0.879, 1e-3);
    close(tQuantile(0.025, 10), -2.228, 1e-3);
    assert.throws(() => tQuantile(1, 3), /probability/);
  });

  test('a mean of persona means with its t interval; bounded to the scale', () => {
    // mean 4, sd 1, G = 4: half-width t(0.975, 3) · 1 / 2 = 1.591
    const iv = meanInterval([3, 4, 5, 4], 0.95);
    close(iv.mean, 4, 1e-12);
    close(iv.hi - iv.mean, (3.182446 * Math.sqrt(2 / 3)) / 2, 1e-4);
    assert.equal(meanInterval([5, 5, 4.9], 0.95, [1, 5]).hi, 5);
    assert.ok(Number.isNaN(meanInterval([4], 0.95).lo), 'one persona has no interval');
  });

  test('a share no persona varies on is not a certainty: Wilson with one observation per persona', () => {
    // Wilson 0/4 at 95 %: [0, 0.4899] (Newcombe 1998, method 3).
    const none = shareInterval([0, 0, 0, 0], 0.95);
    assert.equal(none.lo, 0);
    close(none.hi, 0.4899, 5e-4);
    assert.deepEqual(shareInterval([0.1, 0.3, 0.2], 0.95), meanInterval([0.1, 0.3, 0.2], 0.95, [0, 1]));
  });
});

describe('exact sign-flip test over personas', () => {
  test('p-values count sign patterns: all of three personas worse is 1/8', () => {
    const s = signFlip([-1, -2, -3], 'x');
    assert.equal(pValue(s, true), 1 / 8);
    assert.equal(pValue(s, false), 1);
    assert.equal(smallestP(s), 1 / 8);
    // A persona that did not change cannot move the statistic: it halves nothing.
    const z = signFlip([-1, -2, -3, 0], 'x');
    assert.equal(pValue(z, true), 1 / 8);
    assert.equal(smallestP(z), 1 / 8);
    // Mixed signs: patterns at least as low as −1 +0.5 −0.25: count by hand over 8 patterns.
    const m = signFlip([-1, 0.5, -0.25], 'x');
    const brute = [0, 1, 2, 3, 4, 5, 6, 7].filter((mask) => {
      const flipped = [-1, 0.5, -0.25].map((x, i) => (mask & (1 << i) ? -x : x));
      return flipped.reduce((a, b) => a + b) <= -0.75 + 1e-12;
    }).length;
    assert.equal(pValue(m, true), brute / 8);
  });

  test('the interval is the set of shifts the test does not reject (inversion, checked by brute force)', () => {
    const rng = seededRng('inversion');
    for (let round = 0; round < 20; round++) {
      const d = Array.from({ length: 7 }, () => Math.round((rng() * 4 - 2.5) * 3) / 3);
      const s = signFlip(d, 'x');
      for (const tail of [0.025, 0.05, 0.1]) {
        const { lo, hi } = flipInterval(s, tail);
        const p = (shift: number, lower: boolean) =>
          pValue(
            signFlip(
              d.map((x) => x - shift),
              'x',
            ),
            lower,
          );
        // Just inside each bound the one-sided test keeps the shift; just outside it rejects it.
        assert.ok(p(hi - 1e-6, true) > tail, `hi ${hi} kept (${d})`);
        assert.ok(p(hi + 1e-6, true) <= tail, `beyond hi ${hi} rejected (${d})`);
        assert.ok(p(lo + 1e-6, false) > tail, `lo ${lo} kept (${d})`);
        assert.ok(p(lo - 1e-6, false) <= tail, `beyond lo ${lo} rejected (${d})`);
        // And so the verdict reads the same from the p-value or from the interval.
        assert.equal(pValue(s, true) <= tail, hi < 0);
      }
    }
  });

  test('too few personas cannot bound a side; no change at all is a point at zero', () => {
    assert.deepEqual(flipInterval(signFlip([-1, -1, -1, -1], 'x'), 0.025), { lo: -Infinity, hi: Infinity });
    assert.deepEqual(flipInterval(signFlip(Array(9).fill(0), 'x'), 0.0025), { lo: 0, hi: 0 });
    assert.deepEqual(flipInterval(signFlip(Array(8).fill(0), 'x'), 0.0025), { lo: -Infinity, hi: Infinity });
    assert.equal(personasNeeded(0.05), 5);
    assert.equal(personasNeeded(1 / 32), 5);
    assert.equal(personasNeeded(0.05 / 20), 9);
  });

  test('floating point: differences equal on paper are equal (3.7 − 4.0 is −0.3)', () => {
    const s = signFlip(Array(6).fill(3.7 - 4), 'x');
    assert.equal(s.mean, -0.3);
    assert.equal(flipInterval(s, 0.025).hi, -0.3);
  });

  test('beyond 16 personas a seeded sample of sign patterns: reproducible, close to the exact test', () => {
    const rng = seededRng('many');
    const d = Array.from({ length: 20 }, () => rng() - 0.35);
    const a = signFlip(d, 'row-a');
    assert.equal(a.exact, false);
    assert.deepEqual(flipInterval(a, 0.025), flipInterval(signFlip(d, 'row-a'), 0.025));
    // The same 16 personas exactly and sampled agree to within sampling error.
    const exact = signFlip(d.slice(0, 16), 'x');
    const p = pValue(exact, false);
    const sampled = signFlip([...d.slice(0, 16), 0, 0, 0, 0], 'row-b');
    close(pValue(sampled, false), p, 0.01, 'sampled p');
  });
});

describe('the family and the detectable effect', () => {
  test('rows that cannot reach the level are left out; equal rows are admitted as far as the level allows', () => {
    const rows = (n: number, p: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ key: `r${from + i}`, smallestP: p, rank: from + i }));
    // 20 rows at 6 personas (smallest p 1/64): three can each get 5 %/3 ≥ 1/64, the first three.
    const six = chooseFamily(rows(20, 1 / 64), 0.05);
    assert.deepEqual([...six.members], ['r0', 'r1', 'r2']);
    close(six.tail, 0.05 / 3, 1e-12);
    // Rows at 11 personas (1/2048) share the level; rows at 3 (1/8) are left out of it.
    const mixed = chooseFamily([...rows(15, 1 / 2048), ...rows(5, 1 / 8, 15)], 0.05);
    assert.equal(mixed.members.size, 15);
    close(mixed.tail, 0.05 / 15, 1e-12);
    close(mixed.outsideTail, 0.05 / 16, 1e-12);
    assert.equal(chooseFamily(rows(3, 1), 0.05).members.size, 0);
  });

  test('detectable effect: grows with the spread, needs enough personas, says what more trials would do', () => {
    const diffs = (spread: number, g: number, noise = 0.5): PersonaDifference[] =>
      Array.from({ length: g }, (_, i) => {
        const rng = seededRng(`trial-noise-${i}`);
        const pairs = [0, 1, 2].map(() => spread * ((i % 3) - 1) + noise * (rng() * 2 - 1));
        return {
          personaId: `p${i}`,
          difference: pairs.reduce((a, b) => a + b) / 3,
          pairs,
          baseline: [],
          candidate: [],
        };
      });
    const narrow = detectable(diffs(0.2, 11), 0.005, 0.3);
    const wide = detectable(diffs(0.8, 11), 0.005, 0.3);
    assert.ok(narrow.effect! > 0 && wide.effect! > narrow.effect!, `${narrow.effect} < ${wide.effect}`);
    assert.deepEqual(detectable(diffs(0.2, 5), 0.005, 0.3), {
      effect: null,
      trialsNeeded: null,
      note: '5 personas, need 8',
    });
    // Trial noise can be averaged away: more trials per persona are named when they would help.
    const noisy = detectable(diffs(0.05, 11, 1.5), 0.005, 0.3);
    assert.ok(noisy.effect! > 0.3 && noisy.trialsNeeded! > 3, JSON.stringify(noisy));
    // Personas that differ from each other are not: more trials cannot reach the minimum.
    assert.equal(detectable(diffs(1.5, 11, 0.1), 0.005, 0.3).trialsNeeded, null);
  });
});
