import type { Comparison } from './compare.ts';
import { pointsInterval, starsInterval } from './format.ts';

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/**
 * JUnit XML as CI readers (GitHub, GitLab, Jenkins) accept it: one <testsuite> per kind, one
 * <testcase> per module and per tool; a regression is a <failure> whose message carries the numbers,
 * too little data a <skipped>.
 */
export function toJUnit(c: Comparison): string {
  const suite = (name: string, cases: Array<{ name: string; verdict: string; message: string }>) => {
    const failures = cases.filter((k) => k.verdict === 'regressed').length;
    const skipped = cases.filter((k) => k.verdict === 'insufficient').length;
    const body = cases.map((k) => {
      const open = `    <testcase classname="personas.${name}" name="${esc(k.name)}" time="0">`;
      if (k.verdict === 'regressed')
        return `${open}\n      <failure message="${esc(k.message)}" type="regressed">${esc(k.message)}</failure>\n    </testcase>`;
      if (k.verdict === 'insufficient')
        return `${open}\n      <skipped message="${esc(k.message)}"/>\n    </testcase>`;
      return `${open}\n      <system-out>${esc(`${k.verdict}: ${k.message}`)}</system-out>\n    </testcase>`;
    });
    return [
      `  <testsuite name="personas.${name}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...body,
      '  </testsuite>',
    ].join('\n');
  };
  const modules = c.modules.map((m) => ({
    name: m.module,
    verdict: m.verdict,
    message: `mean rating ${m.baseline.mean.toFixed(2)} → ${m.candidate.mean.toFixed(2)}, difference ${starsInterval(m.diff)} (95 %${m.paired ? ', paired' : ''}); minimum effect ${c.minRatingEffect}★`,
  }));
  const tools = c.tools.map((t) => ({
    name: t.tool,
    verdict: t.verdict,
    message: `error rate ${(t.baseline.rate * 100).toFixed(1)} % (${t.baseline.errors}/${t.baseline.calls}) → ${(t.candidate.rate * 100).toFixed(1)} % (${t.candidate.errors}/${t.candidate.calls}), difference ${pointsInterval(t.diff)} (95 %), product-class ${pointsInterval(t.diffByClass.product)}; minimum effect ${(c.minErrorRateEffect * 100).toFixed(0)} points`,
  }));
  const total = modules.length + tools.length;
  const failures = c.regressed.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="personas compare ${esc(c.baseline.campaign.label)} → ${esc(c.candidate.campaign.label)}" tests="${total}" failures="${failures}" errors="0">`,
    suite('modules', modules),
    suite('tools', tools),
    '</testsuites>',
    '',
  ].join('\n');
}
