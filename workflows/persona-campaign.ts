import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities/index.ts';
import type { CampaignStatus, TickOutcome } from '../schema/vocabulary.ts';
import {
  CAMPAIGN_FAILURES,
  campaignInputProblem,
  progressQuery,
  trialSeed,
  trialWorkflowId,
  type CampaignInput,
  type CampaignProgress,
  type CampaignResult,
  type TrialResult,
} from './campaign-contract.ts';
import { tickStartOptions, type PersonaTickWorkflow, type TickSubject } from './tick-contract.ts';

export { progressQuery };

const { openCampaign, closeCampaign } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

/**
 * A campaign: K trials per persona, each a child `personaTick` with its own trial seed, at most
 * `concurrency` at a time. A failed trial is a result, not a failure of the campaign; cancelling
 * the campaign cancels its running children (they persist what they did) and still writes the
 * summary.
 */
export async function personaCampaign(input: CampaignInput): Promise<CampaignResult> {
  const problem = campaignInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(problem, CAMPAIGN_FAILURES.invalidInput.type);
  const { taskQueue } = workflowInfo();
  const jobs = input.personas.flatMap((p) =>
    Array.from({ length: input.trials }, (_, i) => ({ persona: p, trial: i + 1 })),
  );
  const progress: CampaignProgress = {
    campaignId: input.campaignId,
    label: input.label,
    total: jobs.length,
    started: 0,
    running: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    done: false,
  };
  setHandler(progressQuery, () => ({ ...progress }));
  const show = () =>
    setCurrentDetails(
      `**${progress.done ? 'done' : 'running'}** · ${progress.completed + progress.failed + progress.cancelled}/${progress.total} trials · ${progress.running} running · ${progress.failed} failed`,
    );

  const provenance = await openCampaign({
    campaignId: input.campaignId,
    label: input.label,
    trials: input.trials,
    seedBase: input.seedBase,
    personaIds: input.personas.map((p) => p.personaId),
    codeVersion: input.codeVersion,
  });
  upsertMemo({ ...provenance, productFingerprint: JSON.stringify(provenance.productFingerprint) });

  const trials: TrialResult[] = [];
  let status: CampaignStatus = 'completed';
  const runTrial = async (persona: TickSubject, trial: number) => {
    const tickId = trialWorkflowId(input.campaignId, persona.personaId, trial);
    const { workflowType, ...options } = tickStartOptions(
      persona,
      taskQueue,
      {
        ...(input.budgets && { budgets: input.budgets }),
        campaign: {
          campaignId: input.campaignId,
          trial,
          trialSeed: trialSeed(input.seedBase, persona, trial),
        },
      },
      { kind: 'campaign', label: input.label, trial, trials: input.trials },
    );
    progress.started++;
    progress.running++;
    show();
    let outcome: TickOutcome;
    try {
      const r = await executeChild<PersonaTickWorkflow>(workflowType, {
        ...options,
        workflowId: tickId,
        memo: { campaignId: input.campaignId, label: input.label, trial },
      });
      outcome = r.status;
    } catch (err) {
      if (isCancellation(err) && CancellationScope.current().consideredCancelled) throw err;
      outcome = isCancellation(err) ? 'cancelled' : 'failed';
    } finally {
      progress.running--;
    }
    progress[outcome]++;
    trials.push({ personaId: persona.personaId, trial, tickId, status: outcome });
    show();
  };

  let next = 0;
  // A small pool: each lane takes the next trial when its previous one ends. Settled, not all():
  // when the campaign is cancelled every lane ends with the cancellation of its child.
  const lanes = await Promise.allSettled(
    Array.from({ length: Math.min(input.concurrency, jobs.length) }, async () => {
      while (next < jobs.length && !CancellationScope.current().consideredCancelled) {
        const job = jobs[next++]!;
        await runTrial(job.persona, job.trial);
      }
    }),
  );
  const errors = lanes.flatMap((l) => (l.status === 'rejected' ? [l.reason as unknown] : []));
  const cancellation = errors.find((e) => isCancellation(e));
  if (errors.length && !cancellation) throw errors[0];
  if (cancellation || CancellationScope.current().consideredCancelled) status = 'cancelled';
  progress.done = true;
  show();
  // Runs even when the campaign was cancelled: the summary covers what was done.
  const summary = await CancellationScope.nonCancellable(() =>
    closeCampaign({ campaignId: input.campaignId, status }),
  );
  // Rethrown after the summary is written, so Temporal records the campaign as cancelled.
  if (cancellation) throw cancellation;
  return { campaignId: input.campaignId, status, trials, summary };
}
