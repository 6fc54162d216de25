import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { dayPrompt, ratingPrompt } from '../prompts.ts';
import type { PersonaRow } from '../persona-context.ts';

const sha = (v: unknown) =>
  createHash('sha256')
    .update(typeof v === 'string' ? v : JSON.stringify(v))
    .digest('hex')
    .slice(0, 16);

/** What the personas are: a change to any prompt, archetype or mix changes the hash. */
export function catalogHash(rows: readonly PersonaRow[]): string {
  return sha(
    [...rows]
      .sort((a, b) => a.email.localeCompare(b.email))
      .map((p) => ({
        email: p.email,
        displayName: p.displayName,
        archetype: p.archetype,
        systemPrompt: p.systemPrompt,
        moduleMix: Object.entries(p.moduleMix).sort(),
        cadence: p.cadence,
        timezone: p.timezone,
      })),
  );
}

/**
 * Per product (module): a hash of its tools' names, descriptions and schemas as the gateway lists
 * them, so a campaign records which version of each product it exercised.
 */
export function productFingerprint(
  tools: readonly Tool[],
  modules: Record<string, string>,
  claudeName: (n: string) => string,
) {
  const byModule = new Map<string, Tool[]>();
  for (const t of tools) {
    const m = modules[claudeName(t.name)] ?? 'unknown';
    byModule.set(m, [...(byModule.get(m) ?? []), t]);
  }
  return Object.fromEntries(
    [...byModule.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, ts]) => [
        m,
        sha(
          ts
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((t) => [t.name, t.description ?? '', t.inputSchema, t.outputSchema ?? null]),
        ),
      ]),
  );
}

/**
 * The prompts' version: a hash of the functions that write them (their source text), so any edit
 * to the day or rating prompt shows up without anyone remembering to bump a number.
 */
export const promptVersion = () => sha(`${dayPrompt.toString()}\n${ratingPrompt.toString()}`);
