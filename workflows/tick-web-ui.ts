// What the Temporal Web UI shows of a tick before it runs: a one-line summary for the workflow list
// and Markdown details (persona, products, budgets, who started it). Presentation only: the starters
// pass it as the workflow's static user metadata (tick-contract.ts `tickStartOptions`).

/** What a tick is about, as its starter knows it (the optional parts make the Web UI readable). */
export interface TickSubject {
  personaId: string;
  archetype: string;
  cadence: string;
  displayName?: string;
  email?: string;
  timezone?: string;
  /** Weights per module: the modules (products) the persona uses. */
  moduleMix?: Record<string, number>;
}

/** Who started a tick, for its Web UI summary. */
export type TickOrigin =
  { kind: 'schedule' | 'manual' | 'up' } | { kind: 'campaign'; label: string; trial: number; trials: number };

/** The budgets as the details show them. */
interface ShownBudgets {
  maxRounds: number;
  maxToolCalls: number;
  maxTokens: number;
  maxCostUsd: number;
}

const personaLabel = (p: TickSubject) => `${p.displayName ?? p.email ?? p.personaId} (${p.archetype})`;

/** One line for the Web UI's workflow list: `Maya (adhd-student) · hourly tick` (≤ 200 bytes). */
export function tickSummary(p: TickSubject, origin: TickOrigin): string {
  const what =
    origin.kind === 'schedule'
      ? `${p.cadence} tick`
      : origin.kind === 'campaign'
        ? `campaign ${origin.label} · trial ${origin.trial}/${origin.trials}`
        : origin.kind === 'up'
          ? 'first tick (personas up --once)'
          : 'manual tick';
  return truncateUtf8(`${personaLabel(p)} · ${what}`, 200);
}

/** Markdown for the Web UI's workflow details: persona, products, budgets, campaign. */
export function tickDetails(p: TickSubject, b: ShownBudgets, origin: TickOrigin): string {
  const mix = Object.entries(p.moduleMix ?? {})
    .sort(([, a], [, c]) => c - a)
    .map(([m, w]) => `${m} ${Math.round(w * 100)} %`);
  const lines = [
    `**${p.displayName ?? p.personaId}** · ${p.archetype} · ${p.cadence}${p.timezone ? ` in ${p.timezone}` : ''}`,
    '',
    `- persona: \`${p.personaId}\`${p.email ? ` (${p.email})` : ''}`,
    ...(mix.length ? [`- products / modules: ${mix.join(', ')}`] : []),
    `- budgets: ${b.maxRounds} rounds · ${b.maxToolCalls} tool calls · ${b.maxTokens.toLocaleString('en-US')} tokens · $${b.maxCostUsd.toFixed(2)}`,
    origin.kind === 'campaign'
      ? `- campaign: **${origin.label}**, trial ${origin.trial} of ${origin.trials}`
      : `- started by: ${origin.kind === 'up' ? 'personas up --once' : origin.kind}`,
  ];
  return lines.join('\n');
}

function truncateUtf8(s: string, maxBytes: number): string {
  let out = s;
  while (new TextEncoder().encode(out).length > maxBytes) out = `${out.slice(0, -2)}…`;
  return out;
}
