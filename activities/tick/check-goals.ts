import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { personaTicks } from '../../schema/index.ts';
import { expandPlaceholders, judgeExpect, type Goal, type GoalContext } from '../../lib/personas/goals.ts';
import { sealTranscriptPart } from '../../lib/ticks/transcript-seal.ts';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';
import type { GoalCheckInput, GoalRecord } from '../../workflows/tick-steps-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { hasEncryptedFields } from './action-summary.ts';
import { classifyCallError, classifyResult } from './call-error-class.ts';
import { toolCatalog } from './tool-catalog.ts';

/** Evidence kept of a check's result: enough to see why, small enough for history and a table cell. */
const EVIDENCE_CHARS = 1500;

/** The structured result of a call: its structuredContent, else its text as JSON, else the text. */
function structured(result: CallToolResult): unknown {
  if (result.structuredContent) return result.structuredContent;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

const trimmed = (value: unknown) => {
  const json = JSON.stringify(value) ?? 'null';
  return json.length > EVIDENCE_CHARS ? `${json.slice(0, EVIDENCE_CHARS)}… [trimmed]` : json;
};

/**
 * The goal check step: for each checked goal of the tick, one read-only call as the persona — never
 * shown to it (no transcript part, no action row), marked as a check so the gateway refuses any tool
 * that is not read-only — and the structured result judged against the goal's `expect`. A goal the
 * offline persona cannot attempt (no `scripted` calls) is `not-attempted` and not checked. A check the
 * product answers with an error is `check-error`; an unreachable gateway fails the activity, which
 * Temporal retries within its budget (the workflow then records `check-error`).
 */
export function createCheckGoals(deps: ActivityDeps) {
  return async function checkGoals(input: GoalCheckInput): Promise<GoalRecord[]> {
    const persona = await deps.personas.get(input.personaId);
    const goals = persona.goals.filter((g) => input.goalIds.includes(g.id));
    const catalog = await toolCatalog(deps, persona.id);
    const [tick] = await deps.db
      .select({ startedAt: personaTicks.startedAt })
      .from(personaTicks)
      .where(eq(personaTicks.id, input.tickId));
    const ctx = {
      timezone: persona.timezone,
      email: persona.email,
      now: new Date(),
      tickStarted: tick?.startedAt,
    };
    const out: GoalRecord[] = [];
    for (const goal of goals) {
      const base = { goalId: goal.id, module: goal.module, source: 'checked' as const };
      if (deps.llm.kind === 'scripted' && !goal.scripted?.length) {
        out.push({
          ...base,
          outcome: 'not-attempted',
          evidence: 'the offline persona has no scripted calls for this goal',
        });
        continue;
      }
      const result = await checkOnce(persona.id, goal, ctx);
      const record = judge(goal, result, ctx);
      const sealed =
        record.evidence !== undefined &&
        hasEncryptedFields(catalog.tools.find((t) => t.name === goal.check!.tool));
      const key = sealed ? await deps.transcriptKeys.keyFor(persona.id) : undefined;
      out.push({ ...base, ...record, ...(key && { evidence: sealTranscriptPart(key, record.evidence) }) });
    }
    return out;
  };

  async function checkOnce(personaId: string, goal: Goal, ctx: GoalContext): Promise<CallToolResult> {
    const check = goal.check!;
    try {
      return await deps.sessions.checkTool(personaId, check.tool, expandPlaceholders(check.arguments, ctx));
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      if (classifyCallError(err) === 'persona') return errorOf((err as Error).message);
      // The gateway is unreachable: retried as a whole (a check has no side effects to repeat).
      throw ApplicationFailure.create({
        type: TICK_FAILURES.gatewayUnavailable.type,
        message: `goal check ${goal.id} (${check.tool}) could not reach the gateway: ${(err as Error).message}`,
      });
    }
  }

  function judge(
    goal: Goal,
    result: CallToolResult,
    ctx: GoalContext,
  ): Pick<GoalRecord, 'outcome' | 'evidence'> {
    const errorClass = classifyResult(result);
    if (result.isError || errorClass) {
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ');
      return { outcome: 'check-error', evidence: `${errorClass ?? 'error'}: ${text.slice(0, 300)}` };
    }
    const value = structured(result);
    const verdict = judgeExpect(expandPlaceholders(goal.check!.expect, ctx), value);
    return {
      outcome: verdict.achieved ? 'achieved' : 'failed',
      evidence: { result: trimmed(value), ...(verdict.reason && { reason: verdict.reason }) },
    };
  }
}

const errorOf = (message: string): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: message }],
  _meta: { errorClass: 'persona' },
});
