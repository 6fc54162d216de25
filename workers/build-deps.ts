import type { Db } from '../lib/db/client.ts';
import type { Logger } from '../lib/logger.ts';
import { derivePersonaPassword, resolveSeedSecret } from '../lib/personas/password.ts';
import { resolveKek } from '../lib/demo-product/kek.ts';
import { resolveTranscriptKey } from '../lib/ticks/transcript-seal.ts';
import type { ActivityDeps } from '../activities/index.ts';
import { AnthropicProvider } from '../activities/llm/anthropic-provider.ts';
import { ScriptedProvider } from '../activities/llm/scripted-provider.ts';
import type { LlmProvider } from '../activities/llm/types.ts';
import { PersonaSessions } from '../activities/mcp/persona-sessions.ts';
import { createWorkerMetrics } from '../activities/metrics.ts';
import { PersonaCache } from '../activities/persona-context.ts';
import { TranscriptKeys } from '../activities/transcript-keys.ts';
import type { WorkerConfig } from './config.ts';

export function createLlmProvider(config: WorkerConfig['llm']): LlmProvider {
  if (config.provider === 'anthropic') {
    return new AnthropicProvider(config.model, { apiKey: config.apiKey!, baseURL: config.baseUrl });
  }
  return new ScriptedProvider({ seed: config.scriptedSeed });
}

/** Builds the activities' dependencies from config: LLM provider, MCP sessions, transcript keys, metrics. */
export function buildActivityDeps(
  config: WorkerConfig,
  db: Db,
  logger: Logger,
  overrides: Partial<ActivityDeps> = {},
): ActivityDeps {
  const seedSecret = resolveSeedSecret(config);
  const secrets = { kek: resolveKek(config), seedSecret };
  const personas = overrides.personas ?? new PersonaCache(db);
  return {
    personas,
    db,
    logger,
    llm: overrides.llm ?? createLlmProvider(config.llm),
    metrics: overrides.metrics ?? createWorkerMetrics(),
    sessions:
      overrides.sessions ??
      new PersonaSessions({
        gatewayUrl: config.gatewayUrl,
        credentials: async (personaId) => {
          const persona = await personas.get(personaId);
          return { email: persona.email, password: derivePersonaPassword(seedSecret, persona.email) };
        },
      }),
    transcriptKeys:
      overrides.transcriptKeys ??
      new TranscriptKeys(async (personaId) =>
        resolveTranscriptKey(db, secrets, await personas.get(personaId)),
      ),
    config: {
      prices: config.llm.prices,
      maxTokensPerCall: config.llm.maxTokensPerCall,
      maxToolResultChars: 4000,
      ...overrides.config,
    },
  };
}
