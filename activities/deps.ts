import type { Db } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import type { PriceTable } from './llm/prices.ts';
import type { LlmProvider } from './llm/types.ts';
import type { PersonaSessions } from './mcp/persona-sessions.ts';
import type { PersonaCache } from './persona-context.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { TranscriptKeys } from './transcript-keys.ts';

/** Everything the tick activities need, built once by the worker (workers/) and passed in. */
export interface ActivityDeps {
  db: Db;
  llm: LlmProvider;
  /** Persona rows: read fresh at login, reused by the rest of the tick. */
  personas: PersonaCache;
  sessions: PersonaSessions;
  /** Per-persona keys that seal transcript parts; worker memory only. */
  transcriptKeys: TranscriptKeys;
  metrics: WorkerMetrics;
  logger: Logger;
  config: {
    prices: PriceTable;
    /** max_tokens of one model call. */
    maxTokensPerCall: number;
    /** Tool results longer than this are cut before they go back to the model. */
    maxToolResultChars: number;
  };
}
