// GET /ticks: every tick, newest first, filtered by persona, module, tool and error class (a plain
// GET form: works without JavaScript).
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { ERROR_CLASSES } from '../schema/vocabulary.ts';
import { h, pageShell } from './html.ts';
import { ticksTable, type RenderOptions } from './render.ts';
import type { RecentTick, TickFilter } from './ticks-query.ts';

export interface FilterChoices {
  personas: Array<{ id: string; name: string }>;
  modules: string[];
  tools: string[];
}

/** What the filter form offers: the personas, rated modules and called tools that exist. */
export async function filterChoices(db: Db): Promise<FilterChoices> {
  const [personas, modules, tools] = await Promise.all([
    db.execute(sql`SELECT id, display_name FROM personas ORDER BY display_name`),
    db.execute(sql`SELECT DISTINCT module FROM persona_feedback WHERE rating IS NOT NULL ORDER BY 1`),
    db.execute(sql`SELECT DISTINCT tool_name FROM persona_actions ORDER BY 1`),
  ]);
  return {
    personas: personas.rows.map((r) => ({ id: String(r.id), name: String(r.display_name) })),
    modules: modules.rows.map((r) => String(r.module)),
    tools: tools.rows.map((r) => String(r.tool_name)),
  };
}

function select(name: string, label: string, current: string | undefined, options: Array<[string, string]>) {
  return h`<label>${label}<select name="${name}"><option value="">any</option>${options.map(
    ([value, text]) => h`<option value="${value}"${value === current ? ' selected' : ''}>${text}</option>`,
  )}</select></label>`;
}

export function renderTicksPage(
  ticks: RecentTick[],
  filter: TickFilter,
  choices: FilterChoices,
  problems: string[],
  opts: RenderOptions,
): string {
  const form = h`<form class="filters" method="get" action="/ticks">
${select(
  'persona',
  'persona',
  filter.personaId,
  choices.personas.map((p) => [p.id, p.name]),
)}
${select(
  'module',
  'rated module',
  filter.module,
  choices.modules.map((m) => [m, m]),
)}
${select(
  'tool',
  'tool',
  filter.tool,
  choices.tools.map((t) => [t, t]),
)}
${select(
  'errorClass',
  'error class',
  filter.errorClass,
  ERROR_CLASSES.map((c) => [c, c]),
)}
<button type="submit">filter</button> <a href="/ticks">clear</a>
</form>`;
  const active = Object.entries(filter)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
  const body = h`<section><h2>Ticks<small>${active || 'all'} · latest ${ticks.length}</small></h2>
${problems.length ? h`<p class="err">${problems.join('; ')}</p>` : ''}${form}${ticksTable(ticks, opts)}</section>`;
  return pageShell({ title: 'ticks', heading: 'Ticks', meta: active || 'newest first', body });
}
