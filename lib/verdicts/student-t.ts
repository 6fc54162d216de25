// Student's t quantiles (jStat: one dependency-free package, checked against published tables in
// test/unit/verdict-stats.test.ts), for the per-persona t intervals of `personas report` and the
// detectable effect of a comparison row.
import jStat from 'jstat';

/** The standard normal quantile at probability p. */
export function zQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  return jStat.normal.inv(p, 0, 1);
}

/** The t quantile at probability p with `dof` degrees of freedom. */
export function tQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  if (!(dof >= 1)) throw new RangeError(`degrees of freedom must be ≥ 1, got ${dof}`);
  return jStat.studentt.inv(p, dof);
}
