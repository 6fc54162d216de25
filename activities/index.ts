import type { ActivityDeps } from './deps.ts';
import { createCloseCampaign } from './campaigns/close-campaign.ts';
import { createOpenCampaign } from './campaigns/open-campaign.ts';
import { createPurgeTranscriptBatch } from './retention/purge-transcripts.ts';
import { createLogin } from './tick/login.ts';
import { createModelCall } from './tick/model-call.ts';
import { createPersist } from './tick/persist.ts';
import { createRating } from './tick/rating.ts';
import { createToolCall } from './tick/tool-call.ts';

export type { ActivityDeps } from './deps.ts';

/** The worker's activities (the tick's, the transcript purge's and the campaign's), built once with injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    login: createLogin(deps),
    modelCall: createModelCall(deps),
    callTool: createToolCall(deps),
    rate: createRating(deps),
    persistTick: createPersist(deps),
    purgeTranscriptBatch: createPurgeTranscriptBatch(deps),
    openCampaign: createOpenCampaign(deps),
    closeCampaign: createCloseCampaign(deps),
  };
}

export type TickActivities = ReturnType<typeof createActivities>;
