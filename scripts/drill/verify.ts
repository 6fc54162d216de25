import type pg from 'pg';
import type { Client } from '@temporalio/client';
import { CREATING_TOOLS } from './faulty-messages-api.ts';

// Messages of errors that come from the plumbing, not from the persona's own mistakes: a `persona`
// action whose message matches one of these was misclassified.
const TRANSPORT_ERROR =
  /connection closed|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|fetch failed|terminated|timed? ?out|Connection terminated|502|503|504|session not found/i;

export interface DrillChecks {
  ticks: number;
  completedInTemporal: number;
  completedInPostgres: number;
  actions: number;
  okActions: number;
  duplicateActions: number;
  productWrites: Record<string, { rows: number; okActions: number }>;
  lostToolCalls: number;
  infraActions: number;
  misclassifiedActions: number;
}

/** The violations in `c`, as lines a person can act on; empty when the drill passed. */
export function violations(c: DrillChecks): string[] {
  const out: string[] = [];
  if (c.completedInTemporal !== c.ticks)
    out.push(`${c.ticks - c.completedInTemporal} tick(s) not completed in Temporal`);
  if (c.completedInPostgres !== c.ticks)
    out.push(`${c.ticks - c.completedInPostgres} tick(s) not completed in persona_ticks`);
  if (c.duplicateActions) out.push(`${c.duplicateActions} duplicate action(s) (same tick + tool_use_id)`);
  for (const [table, w] of Object.entries(c.productWrites))
    if (w.rows !== w.okActions) out.push(`${table}: ${w.rows} rows for ${w.okActions} ok creating actions`);
  if (c.lostToolCalls) out.push(`${c.lostToolCalls} tool call(s) in the conversation without an action`);
  if (c.infraActions) out.push(`${c.infraActions} infra action(s)`);
  if (c.misclassifiedActions)
    out.push(`${c.misclassifiedActions} persona-class action(s) with a transport error`);
  return out;
}

/** Whether a workflow reached COMPLETED; asks again while Temporal is unreachable. */
async function temporalStatus(client: Client, id: string): Promise<string> {
  const d = await client.workflow.getHandle(id).describe();
  return d.status.name;
}

/** Polls until every tick is closed in Temporal or `deadline` passes. */
export async function awaitTicks(
  client: Client,
  ids: string[],
  deadline: number,
): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  while (Date.now() < deadline) {
    for (const id of ids) {
      if (status.has(id) && status.get(id) !== 'RUNNING') continue;
      try {
        status.set(id, await temporalStatus(client, id));
      } catch {
        // Temporal restarting: ask again on the next pass.
      }
    }
    if (ids.every((id) => status.has(id) && status.get(id) !== 'RUNNING')) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return status;
}

export async function checkDrill(
  pool: pg.Pool,
  ids: string[],
  temporal: Map<string, string>,
  acceptedToolUses: Set<string>,
): Promise<DrillChecks> {
  const one = async (sql: string, params: unknown[] = []) =>
    Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const actions = (
    await pool.query<{
      tool_name: string;
      tool_use_id: string | null;
      outcome: string;
      error_class: string | null;
      result_summary: string | null;
    }>(
      'SELECT tool_name, tool_use_id, outcome, error_class, result_summary FROM persona_actions WHERE tick_id = ANY($1)',
      [ids],
    )
  ).rows;
  const productWrites: DrillChecks['productWrites'] = {};
  for (const [tool, table] of Object.entries(CREATING_TOOLS)) {
    productWrites[table] = {
      rows: await one(`SELECT count(*) AS n FROM ${table}`),
      okActions: actions.filter((a) => a.outcome === 'ok' && a.tool_name === tool).length,
    };
  }
  const withAction = new Set(actions.map((a) => a.tool_use_id));
  return {
    ticks: ids.length,
    completedInTemporal: ids.filter((id) => temporal.get(id) === 'COMPLETED').length,
    completedInPostgres: await one(
      `SELECT count(*) AS n FROM persona_ticks WHERE id = ANY($1) AND status = 'completed'`,
      [ids],
    ),
    actions: actions.length,
    okActions: actions.filter((a) => a.outcome === 'ok').length,
    duplicateActions: await one(
      `SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM persona_actions
        WHERE tick_id = ANY($1) GROUP BY tick_id, tool_use_id HAVING count(*) > 1) d`,
      [ids],
    ),
    productWrites,
    lostToolCalls: [...acceptedToolUses].filter((id) => !withAction.has(id)).length,
    infraActions: actions.filter((a) => a.error_class === 'infra').length,
    misclassifiedActions: actions.filter(
      (a) => a.error_class === 'persona' && TRANSPORT_ERROR.test(a.result_summary ?? ''),
    ).length,
  };
}
