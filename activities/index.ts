import type { ActivityDeps } from './deps.ts';
import { createCloseCampaign } from './campaigns/close-campaign.ts';
import { createOpenCampaign } from './campaigns/open-campaign.ts';
import { createPurgeTranscriptBatch } from './retention/purge-transcripts.ts';
import { createSlotMembers } from './schedules/slot-members.ts';
import { createCallTool } from './tick/call-tool.ts';
import { createCheckGoals } from './tick/check-goals.ts';
import { createLogin } from './tick/login.ts';
import { createModelCall } from './tick/model-call.ts';
import { createPersistTick } from './tick/persist-tick.ts';
import { createRate } from './tick/rate.ts';

export type { ActivityDeps } from './deps.ts';

/** The worker's activities (each named as its file), built once with injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    login: createLogin(deps),
    modelCall: createModelCall(deps),
    callTool: createCallTool(deps),
    rate: createRate(deps),
    checkGoals: createCheckGoals(deps),
    persistTick: createPersistTick(deps),
    purgeTranscriptBatch: createPurgeTranscriptBatch(deps),
    openCampaign: createOpenCampaign(deps),
    closeCampaign: createCloseCampaign(deps),
    slotMembers: createSlotMembers(deps),
  };
}

/** Every activity the worker registers. */
export type Activities = ReturnType<typeof createActivities>;
/** The persona tick's steps (workflows/persona-tick.ts). */
export type TickActivities = Pick<
  Activities,
  'login' | 'modelCall' | 'callTool' | 'rate' | 'checkGoals' | 'persistTick'
>;
/** The campaign's open and close (workflows/persona-campaign.ts). */
export type CampaignActivities = Pick<Activities, 'openCampaign' | 'closeCampaign'>;
/** The transcript purge's batch (workflows/purge-transcripts.ts). */
export type PurgeActivities = Pick<Activities, 'purgeTranscriptBatch'>;
/** Who a per-slot schedule's run starts (workflows/persona-slot.ts). */
export type SlotActivities = Pick<Activities, 'slotMembers'>;
