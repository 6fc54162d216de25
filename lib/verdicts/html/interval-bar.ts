// An interval drawn in CSS (no script, no image): a forest-plot line per row, so the eye finds the
// rows whose interval leaves the band of "no change that counts" before it reads a number.
import type { Interval } from '../intervals.ts';
import { h, type Html } from '../../html/markup.ts';

export interface BarSpec {
  /** The axis, in the row's unit. */
  domain: [number, number];
  /** The 95 % interval (thin line) and the mean (dot). */
  interval: Interval;
  /** The verdict's interval (thick line), when the row has one. */
  verdict?: Interval;
  /** The band of changes too small to count (± the minimum effect), shaded. */
  band?: [number, number];
  /** A reference line: zero for a difference. */
  zero?: number;
  tone: string;
  label: string;
}

const clampPct = (x: number, [a, b]: [number, number]) => {
  const p = ((x - a) / (b - a)) * 100;
  return Math.min(100, Math.max(0, p)).toFixed(2);
};

function span(iv: Pick<Interval, 'lo' | 'hi'>, d: [number, number], cls: string): Html {
  if (Number.isNaN(iv.lo) || Number.isNaN(iv.hi)) return h``;
  const left = Number(clampPct(iv.lo, d));
  const right = Number(clampPct(iv.hi, d));
  return h`<span class="${cls}" style="left:${left}%;width:${Math.max(0.6, right - left).toFixed(2)}%"></span>`;
}

export function intervalBar(s: BarSpec): Html {
  const d = s.domain;
  if (!Number.isFinite(s.interval.mean)) return h`<span class="bar empty" title="no interval"></span>`;
  const band = s.band ? span({ lo: s.band[0], hi: s.band[1] }, d, 'band') : h``;
  const zero =
    s.zero === undefined ? h`` : h`<span class="zero" style="left:${clampPct(s.zero, d)}%"></span>`;
  return h`<span class="bar tone-${s.tone}" role="img" aria-label="${s.label}" title="${s.label}">${band}${zero}${span(s.interval, d, 'ci')}${s.verdict ? span(s.verdict, d, 'vi') : h``}<span class="dot" style="left:${clampPct(s.interval.mean, d)}%"></span></span>`;
}

/** A symmetric axis around zero wide enough for every finite bound and the minimum effect. */
export function symmetricDomain(values: readonly number[], minEffect: number): [number, number] {
  const m = Math.max(minEffect * 1.5, ...values.filter(Number.isFinite).map(Math.abs)) * 1.1 || 1;
  return [-m, m];
}
