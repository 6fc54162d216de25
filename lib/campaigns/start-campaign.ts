import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  campaignInputProblem,
  campaignStartOptions,
  campaignWorkflowId,
  CAMPAIGN_LIMITS,
  type CampaignInput,
  type PersonaCampaignWorkflow,
} from '../../workflows/campaign-contract.ts';
import type { TickBudgets, TickSubject } from '../../workflows/tick-contract.ts';
import { UsageError } from '../errors.ts';
import { codeVersion } from './code-version.ts';

export type CampaignHandle = WorkflowHandle<PersonaCampaignWorkflow>;

export interface StartCampaignOptions {
  label: string;
  personas: readonly TickSubject[];
  taskQueue: string;
  trials?: number;
  concurrency?: number;
  /** Defaults to `default`: campaigns started without one are paired with each other. */
  seedBase?: string;
  budgets?: Partial<TickBudgets>;
  codeVersion?: string;
  campaignId?: string;
}

/** Starts a `personaCampaign` workflow (the CLI, the tests and the signal benchmark all use this). */
export async function startCampaign(client: Client, opts: StartCampaignOptions): Promise<CampaignHandle> {
  const input: CampaignInput = {
    campaignId: opts.campaignId ?? campaignWorkflowId(opts.label),
    label: opts.label,
    trials: opts.trials ?? CAMPAIGN_LIMITS.trials.default,
    concurrency: opts.concurrency ?? CAMPAIGN_LIMITS.concurrency.default,
    seedBase: opts.seedBase ?? 'default',
    // Only what a tick's start needs: the workflow input stays small and free of secrets.
    personas: opts.personas.map((p) => ({
      personaId: p.personaId,
      archetype: p.archetype,
      cadence: p.cadence,
      ...(p.displayName && { displayName: p.displayName }),
      ...(p.email && { email: p.email }),
      ...(p.timezone && { timezone: p.timezone }),
      ...(p.moduleMix && { moduleMix: p.moduleMix }),
    })),
    ...(opts.budgets && { budgets: opts.budgets }),
    codeVersion: opts.codeVersion ?? codeVersion(),
  };
  const problem = campaignInputProblem(input);
  if (problem) throw new UsageError(problem);
  const { workflowType, ...options } = campaignStartOptions(opts.taskQueue, input);
  return client.workflow.start<PersonaCampaignWorkflow>(workflowType, options);
}
