/**
 * A seeded PRNG (mulberry32 over an FNV-1a hash of the seed string): a comparison with more personas
 * than are enumerated samples sign patterns from it, seeded per row, so the same data always give the
 * same verdicts (a CI rerun agrees with itself) and a row's draws never depend on another row's.
 */
export function seededRng(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let state = h >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
