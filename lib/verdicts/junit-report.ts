import { esc, suite, type Case } from './junit.ts';
import { f2, pct } from './format.ts';
import type { CampaignReport } from './report.ts';

/**
 * One campaign as JUnit XML, for CI that runs a campaign without a baseline to compare against: a
 * test case per persona (it fails when not every one of its trials passed — completed, no product
 * or infra error, no module rated below the threshold) and, as information, one per module and tool.
 */
export function reportToJUnit(r: CampaignReport): string {
  const personas = r.passK.perPersona.map((p): Case => ({
    name: p.personaId,
    outcome: p.passAll ? 'passed' : { failure: 'trial-failed' },
    message: `${p.passed}/${p.trials} trials passed (completed, no product or infra error, every module rated ≥ ${r.passK.threshold})`,
  }));
  const modules = Object.entries(r.modules).map(([m, s]): Case => ({
    name: m,
    outcome: 'passed',
    message: `${f2(s.mean)}★ [${f2(s.lo)}, ${f2(s.hi)}] from ${s.ratings} ratings by ${s.personas} personas`,
  }));
  const tools = Object.entries(r.tools).map(([t, s]): Case => ({
    name: t,
    outcome: 'passed',
    message: `${s.calls} calls, error rate ${pct(s.rate.mean)} [${pct(s.rate.lo)}, ${pct(s.rate.hi)}]`,
  }));
  const all = [...personas, ...modules, ...tools];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="personas report ${esc(r.campaign.label)}" tests="${all.length}" failures="${all.filter((k) => typeof k.outcome === 'object').length}" errors="0">`,
    suite('personas', personas),
    suite('modules', modules),
    suite('tools', tools),
    '</testsuites>',
    '',
  ].join('\n');
}
