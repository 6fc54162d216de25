// Which rows the family-wise level is shared among. Every row is a one-sided test at level α/k
// (Bonferroni over the k rows of the family), so at most α of comparisons of an unchanged product
// flag anything. A row that cannot reach α/k whatever its data — too few personas differ for the
// exact test's smallest p-value — is left out so it does not dilute the others (Tarone): it cannot
// regress, and says why. Which rows get in depends only on how many personas differ per row, never
// on the direction of the differences, so the level holds.

export interface FamilyCandidate {
  key: string;
  /** The smallest p-value the row's test can give with its personas. */
  smallestP: number;
  /** Earlier wins a tie: completion and pass^1, then modules, then tools. */
  rank: number;
}

export interface Family {
  members: ReadonlySet<string>;
  /** Per-row level of a member: α / k. */
  tail: number;
  /** The level a row outside would have had, had it got in: α / (k + 1). */
  outsideTail: number;
}

/**
 * The largest family of k rows that can each reach α/k, taking rows in order of their smallest
 * p-value (ties by rank). Tarone's rule would stop at the first k where few enough rows qualify;
 * when many rows share one smallest p-value (as they do at equal persona counts) that rule admits
 * none of them, this one admits as many as the level allows.
 */
export function chooseFamily(rows: readonly FamilyCandidate[], alpha: number): Family {
  const ordered = [...rows].sort((a, b) => a.smallestP - b.smallestP || a.rank - b.rank);
  let k = 0;
  for (let i = 1; i <= ordered.length; i++) if (ordered[i - 1]!.smallestP <= alpha / i + 1e-15) k = i;
  return {
    members: new Set(ordered.slice(0, k).map((r) => r.key)),
    tail: alpha / Math.max(1, k),
    outsideTail: alpha / (k + 1),
  };
}
