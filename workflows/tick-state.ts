import { condition, setCurrentDetails, setHandler } from '@temporalio/workflow';
import { addTokenUsage, emptyTokenUsage, type TickPhase, type TokenUsage } from '../schema/vocabulary.ts';
import {
  pauseSignal,
  resumeSignal,
  statusQuery,
  type TickBudgets,
  type TickStatus,
} from './tick-contract.ts';
import type { ActionRecord, FeedbackRecord, GoalRecord, SelfReport } from './tick-steps-contract.ts';

/** The tick's mutable state, kept in one small class so handlers and the steps share it. */
export class TickState {
  phase: TickPhase = 'starting';
  round = 0;
  paused = false;
  actions: ActionRecord[] = [];
  feedback: FeedbackRecord[] = [];
  usage: TokenUsage = emptyTokenUsage();
  costUsd = 0;
  endReason: string | undefined;
  ratingError: string | undefined;
  /** The persona's word on its self-reported goals (from the rating turn). */
  selfReports: Record<string, SelfReport> | undefined;
  /** How the tick's goals ended, once judged. */
  goals: GoalRecord[] = [];
  private nextSeq = 0;

  constructor(readonly tickId: string) {}

  /**
   * Answers the status query and the pause/resume signals; set before the first await. The Web UI's
   * current details follow a pause at once, as the query does (details are metadata, not a command:
   * replay is unaffected).
   */
  listen(): void {
    setHandler(statusQuery, () => this.status());
    setHandler(pauseSignal, () => this.pausedTo(true));
    setHandler(resumeSignal, () => this.pausedTo(false));
  }

  private pausedTo(paused: boolean): void {
    this.paused = paused;
    this.showDetails();
  }

  /**
   * Runs one step. Signals take effect between steps: a paused tick stops before its next step and
   * waits. A tick that is not paused goes straight on: no condition, no extra promise — the SDK records
   * a stack for every promise a workflow creates, a measurable part of each workflow task (bench:tick).
   */
  step<T>(run: () => Promise<T>): Promise<T> {
    this.showDetails();
    if (!this.paused) return run();
    return condition(() => !this.paused).then(() => {
      this.showDetails();
      return run();
    });
  }

  showDetails(): void {
    setCurrentDetails(this.details());
  }

  addUsage(u: TokenUsage, cost: number): void {
    this.usage = addTokenUsage(this.usage, u);
    this.costUsd += cost;
  }

  /** Sequence numbers are assigned in the model's order before dispatch, so ids are deterministic. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  totalTokens(): number {
    return this.usage.input + this.usage.output + this.usage.cacheWrite + this.usage.cacheRead;
  }

  /** The budget that is exhausted, if any, as an end reason. */
  exhaustedBudget(b: TickBudgets): string | undefined {
    if (this.round >= b.maxRounds) return 'budget:rounds';
    if (this.actions.length >= b.maxToolCalls) return 'budget:tool_calls';
    if (this.totalTokens() >= b.maxTokens) return 'budget:tokens';
    if (this.costUsd >= b.maxCostUsd) return 'budget:cost';
    return undefined;
  }

  /** Markdown for the Web UI's "current details": where the tick is, as a person would ask. */
  details(): string {
    const s = this.status();
    return [
      `**${s.paused ? 'paused' : s.phase}** · round ${s.round} · ${s.actions} action${s.actions === 1 ? '' : 's'}, ${s.errors} error${s.errors === 1 ? '' : 's'}`,
      ...(s.toolsUsed.length ? [`tools: ${s.toolsUsed.join(', ')}`] : []),
      ...(this.endReason ? [`ended: ${this.endReason}`] : []),
    ].join('\n\n');
  }

  status(): TickStatus {
    return {
      tickId: this.tickId,
      phase: this.phase,
      round: this.round,
      paused: this.paused,
      actions: this.actions.length,
      errors: this.actions.filter((a) => a.outcome === 'error').length,
      toolsUsed: [...new Set(this.actions.map((a) => a.toolName))],
      usage: this.usage,
      costUsd: this.costUsd,
      endReason: this.endReason,
    };
  }
}
