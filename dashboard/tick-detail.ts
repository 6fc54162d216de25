// One tick, as a person reads it: the persona, the conversation in order (what the persona said, each
// tool call with its arguments, the product's answer, the error class and latency), the rating turn
// and the totals. Transcript parts are opened server-side through `openPart` (sealed parts).
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { PARSE_MODULE } from '../schema/vocabulary.ts';
import { num, numOrNull } from './sql-values.ts';
import { tickFacts, type TickFacts } from './ticks-query.ts';
import { loadTickGoals, type GoalView } from './goals-query.ts';
import { isWithheld } from './open-transcript.ts';

/** Turns a stored transcript part into its plain content (identity unless parts are sealed). */
export type OpenPart = (tickId: string, content: unknown) => Promise<unknown>;

export interface ToolCallView {
  toolUseId: string;
  /** The MCP tool name (from the action), else the name the model used. */
  name: string;
  input: unknown;
  result: { text: string; isError: boolean } | undefined;
  action:
    { outcome: string; errorClass: string | null; latencyMs: number; summary: string | null } | undefined;
}

export type TurnBlock = { kind: 'said'; text: string } | ({ kind: 'call' } & ToolCallView);

export interface TickDetail extends TickFacts {
  persona: {
    id: string;
    displayName: string;
    email: string;
    archetype: string;
    cadence: string;
    timezone: string;
    systemPrompt: string;
  };
  /** The campaign this tick was a trial of, if any. */
  campaign: { id: string; label: string; trial: number | null; trials: number } | undefined;
  /** The day prompt the persona was given, with the recap of its previous tick (absent on old ticks). */
  opening: string | undefined;
  turns: Array<{ round: number; blocks: TurnBlock[] }>;
  /** Why some parts could not be shown (sealed with a key the dashboard does not hold). */
  withheld: string | undefined;
  rating: { text: string; stopReason: string | null } | undefined;
  feedback: Array<{ module: string; rating: number | null; notes: string }>;
  goals: GoalView[];
}

const RATING_ROUND = -1;
type Block = { type: string; text?: string; id?: string; name?: string; input?: unknown };
type ResultPart = { tool_use_id: string; content: unknown; is_error?: boolean };

const resultText = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content
          .map((c: { type?: string; text?: string }) => (c.type === 'text' ? c.text : `[${c.type}]`))
          .join('\n')
      : JSON.stringify(content);

/** The tick, or undefined when no tick has this id. */
export async function loadTickDetail(
  db: Db,
  tickId: string,
  openPart: OpenPart = async (_id, c) => c,
): Promise<TickDetail | undefined> {
  const {
    rows: [t],
  } = await db.execute(sql`
    SELECT t.*, t.cost_usd::float8 AS cost_usd, extract(epoch FROM t.started_at) * 1000 AS started_ms,
           extract(epoch FROM t.ended_at) * 1000 AS ended_ms,
           p.display_name, p.archetype, p.cadence, p.timezone, p.system_prompt, u.email,
           c.label AS campaign_label, c.trials AS campaign_trials
      FROM persona_ticks t JOIN personas p ON p.id = t.persona_id JOIN users u ON u.id = p.user_id
      LEFT JOIN campaigns c ON c.id = t.campaign_id
     WHERE t.id = ${tickId}`);
  if (!t) return undefined;
  const [parts, actions, feedback, goals] = await Promise.all([
    db.execute(sql`SELECT round, part, part_key, content FROM persona_transcript
                    WHERE tick_id = ${tickId} ORDER BY round, part, part_key`),
    db.execute(sql`SELECT tool_use_id, tool_name, outcome, error_class, latency_ms, result_summary
                     FROM persona_actions WHERE tick_id = ${tickId} ORDER BY seq`),
    db.execute(sql`SELECT module, rating, notes FROM persona_feedback
                    WHERE tick_id = ${tickId} ORDER BY module = ${PARSE_MODULE}, module`),
    loadTickGoals(db, tickId, openPart),
  ]);
  const opened = await Promise.all(
    parts.rows.map(async (r) => ({
      round: num(r.round),
      part: String(r.part),
      key: String(r.part_key),
      content: await openPart(tickId, r.content),
    })),
  );
  const withheld = opened.map((p) => p.content).find(isWithheld)?.withheld;
  const actionById = new Map(actions.rows.map((a) => [String(a.tool_use_id), a]));
  const resultById = new Map(
    opened
      .filter((p) => p.part === 'tool_result' && !isWithheld(p.content))
      .map((p) => [p.key, p.content as ResultPart]),
  );
  const turns = opened
    .filter((p) => p.part === 'assistant' && p.round >= 0 && !isWithheld(p.content))
    .map((p) => ({
      round: p.round,
      blocks: ((p.content ?? []) as Block[]).flatMap((b): TurnBlock[] => {
        if (b.type === 'text' && b.text?.trim()) return [{ kind: 'said', text: b.text }];
        if (b.type !== 'tool_use' || !b.id) return [];
        const a = actionById.get(b.id);
        const r = resultById.get(b.id);
        return [
          {
            kind: 'call',
            toolUseId: b.id,
            name: a ? String(a.tool_name) : (b.name ?? '?'),
            input: b.input,
            result: r ? { text: resultText(r.content), isError: r.is_error === true } : undefined,
            action: a
              ? {
                  outcome: String(a.outcome),
                  errorClass: (a.error_class as string | null) ?? null,
                  latencyMs: num(a.latency_ms),
                  summary: (a.result_summary as string | null) ?? null,
                }
              : undefined,
          },
        ];
      }),
    }));
  const ratingPart = opened.find(
    (p) => p.part === 'rating' && p.round === RATING_ROUND && !isWithheld(p.content),
  )?.content as { text?: string; stopReason?: string | null } | undefined;
  return {
    ...tickFacts(t),
    persona: {
      id: String(t.persona_id),
      displayName: String(t.display_name),
      email: String(t.email),
      archetype: String(t.archetype),
      cadence: String(t.cadence),
      timezone: String(t.timezone),
      systemPrompt: String(t.system_prompt),
    },
    campaign: t.campaign_id
      ? {
          id: String(t.campaign_id),
          label: String(t.campaign_label),
          trial: numOrNull(t.trial),
          trials: num(t.campaign_trials),
        }
      : undefined,
    opening: opened.find((p) => p.part === 'opening' && typeof p.content === 'string')?.content as
      string | undefined,
    turns,
    withheld,
    rating: ratingPart
      ? { text: ratingPart.text ?? '', stopReason: ratingPart.stopReason ?? null }
      : undefined,
    feedback: feedback.rows.map((f) => ({
      module: String(f.module),
      rating: numOrNull(f.rating),
      notes: String(f.notes ?? ''),
    })),
    goals,
  };
}
