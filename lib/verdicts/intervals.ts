// Closed-form intervals for proportions: Wilson's score interval (good coverage at small n and at
// rates near 0 or 1, where the textbook Wald interval collapses to a point) and Newcombe's hybrid
// score interval for the difference of two independent proportions, built from the two Wilson ones.

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/** The two-sided standard-normal quantile for a confidence level (Acklam's approximation, |err| < 1.2e-9). */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  return normalQuantile(1 - (1 - level) / 2);
}

function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Wilson score interval for k successes out of n (n = 0: the whole [0, 1]). */
export function wilson(k: number, n: number, level = 0.95): Interval {
  if (n === 0) return { estimate: 0, lo: 0, hi: 1 };
  const z = zFor(level);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Newcombe's interval (method 10) for p_b − p_a, from the two Wilson intervals. */
export function newcombeDiff(kA: number, nA: number, kB: number, nB: number, level = 0.95): Interval {
  const a = wilson(kA, nA, level);
  const b = wilson(kB, nB, level);
  const d = b.estimate - a.estimate;
  return {
    estimate: d,
    lo: d - Math.sqrt((b.estimate - b.lo) ** 2 + (a.hi - a.estimate) ** 2),
    hi: d + Math.sqrt((b.hi - b.estimate) ** 2 + (a.estimate - a.lo) ** 2),
  };
}
