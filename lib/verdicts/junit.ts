import type { Comparison } from './compare.ts';
import type { GateOptions } from './gate.ts';
import {
  detectableText,
  effectText,
  hurtText,
  differenceText,
  valueText,
  verdictIntervalText,
} from './format.ts';
import type { VerdictRow } from './verdict-row.ts';

export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export interface Case {
  name: string;
  /** failure type when the case fails the gate, `skipped` when it is left undecided. */
  outcome: { failure: string } | 'skipped' | 'passed';
  message: string;
}

const rowMessage = (r: VerdictRow) =>
  `${r.verdict}: ${valueText(r.baseline.mean, r.unit)} → ${valueText(r.candidate.mean, r.unit)}, ` +
  `difference ${differenceText(r)} (95 %${r.paired ? ', paired' : ''}), ` +
  `verdict interval ${verdictIntervalText(r)}, detectable ${detectableText(r)}, ` +
  `minimum ${effectText(r.minEffect, r.unit)}; ${r.reason}`;

function rowCase(r: VerdictRow, gate: GateOptions): Case {
  const outcome: Case['outcome'] =
    r.verdict === 'regressed' || r.verdict === 'missing'
      ? { failure: r.verdict }
      : r.verdict === 'insufficient'
        ? gate.failOnInsufficient
          ? { failure: 'insufficient' }
          : 'skipped'
        : 'passed';
  return { name: r.name, outcome, message: rowMessage(r) };
}

export function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((k) => typeof k.outcome === 'object').length;
  const skipped = cases.filter((k) => k.outcome === 'skipped').length;
  const body = cases.map((k) => {
    const open = `    <testcase classname="personas.${name}" name="${esc(k.name)}" time="0">`;
    const m = esc(k.message);
    if (typeof k.outcome === 'object')
      return `${open}\n      <failure message="${m}" type="${k.outcome.failure}">${m}</failure>\n    </testcase>`;
    if (k.outcome === 'skipped') return `${open}\n      <skipped message="${m}"/>\n    </testcase>`;
    return `${open}\n      <system-out>${m}</system-out>\n    </testcase>`;
  });
  return [
    `  <testsuite name="personas.${name}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...body,
    '  </testsuite>',
  ].join('\n');
}

/**
 * JUnit XML as CI readers (GitHub, GitLab, Jenkins) accept it: a test suite each for completion and
 * pass^1, checked goals, modules, tools, and the personas who got hurt (a test case each); what fails the gate is a
 * <failure> whose message carries the numbers, an undecided row a <skipped>.
 */
export function toJUnit(c: Comparison, gate: GateOptions = {}): string {
  const suites = {
    health: c.health.map((r) => rowCase(r, gate)),
    goals: c.goals.map((r) => rowCase(r, gate)),
    modules: c.modules.map((r) => rowCase(r, gate)),
    tools: c.tools.map((r) => rowCase(r, gate)),
    personas: c.hurt.map((h): Case => ({
      name: `${h.name} · ${h.module}`,
      outcome: gate.failOnPersonaRegression ? { failure: 'persona-regression' } : 'passed',
      message: `persona regression: ${hurtText(h)}`,
    })),
  };
  const all = Object.values(suites).flat();
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="personas compare ${esc(c.baseline.campaign.label)} → ${esc(c.candidate.campaign.label)}" tests="${all.length}" failures="${all.filter((k) => typeof k.outcome === 'object').length}" errors="0">`,
    ...Object.entries(suites).map(([name, cases]) => suite(name, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}
