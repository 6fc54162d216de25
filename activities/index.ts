import type { ActivityDeps } from './deps.ts';
import { createPurgeTranscriptBatch } from './retention/purge-transcripts.ts';
import { createLogin } from './tick/login.ts';
import { createModelCall } from './tick/model-call.ts';
import { createPersist } from './tick/persist.ts';
import { createRating } from './tick/rating.ts';
import { createToolCall } from './tick/tool-call.ts';

export type { ActivityDeps } from './deps.ts';

/** The worker's activities (the tick's and the transcript purge's), built once with injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    login: createLogin(deps),
    modelCall: createModelCall(deps),
    callTool: createToolCall(deps),
    rate: createRating(deps),
    persistTick: createPersist(deps),
    purgeTranscriptBatch: createPurgeTranscriptBatch(deps),
  };
}

export type TickActivities = ReturnType<typeof createActivities>;
