import { BUILTIN_ARCHETYPES } from '../schema/vocabulary.ts';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's own metrics (Temporal SDK metrics are served separately by the SDK runtime).
 * `persona` labels carry persona ids: bounded by the catalog, and what teams ask for.
 */
export function createWorkerMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'worker_' });
  const r = [registry];
  return {
    registry,
    ticks: new Counter({
      name: 'persona_ticks_total',
      help: 'Ticks by outcome and end reason',
      labelNames: ['status', 'end_reason'] as const,
      registers: r,
    }),
    tickDuration: new Histogram({
      name: 'persona_tick_duration_seconds',
      help: 'Tick wall time from start to persist',
      buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: r,
    }),
    actionsPerTick: new Histogram({
      name: 'persona_actions_per_tick',
      help: 'Tool calls per tick',
      buckets: [0, 1, 2, 5, 10, 20, 40, 80],
      registers: r,
    }),
    actionErrors: new Counter({
      name: 'persona_action_errors_total',
      help: 'Failed tool calls by error class and tool',
      labelNames: ['error_class', 'tool'] as const,
      registers: r,
    }),
    tokens: new Counter({
      name: 'persona_tokens_total',
      help: 'Model tokens by persona and kind',
      labelNames: ['archetype', 'kind'] as const,
      registers: r,
    }),
    cost: new Counter({
      name: 'persona_cost_usd_total',
      help: 'Model cost in USD by persona',
      labelNames: ['archetype'] as const,
      registers: r,
    }),
    ratings: new Histogram({
      name: 'persona_module_rating',
      help: 'Ratings (1–5) by module',
      labelNames: ['module'] as const,
      buckets: [1, 2, 3, 4, 5],
      registers: r,
    }),
    goals: new Counter({
      name: 'persona_goals_total',
      help: 'Goals of ticks by module and outcome (achieved, failed, not-attempted, check-error)',
      labelNames: ['module', 'outcome'] as const,
      registers: r,
    }),
    modelCalls: new Counter({
      name: 'persona_model_calls_total',
      help: 'Model calls by provider and outcome',
      labelNames: ['provider', 'outcome'] as const,
      registers: r,
    }),
    transcriptPartsPurged: new Counter({
      name: 'persona_transcript_parts_purged_total',
      help: 'Transcript parts deleted by the retention purge',
      registers: r,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/**
 * The label value for a persona's archetype: one of the catalog's archetypes, else `other`. Labels
 * must come from bounded sets — a label per persona id made a new time series for every persona
 * ever seeded (10,000 personas × token kinds), growing Prometheus without bound. Per-persona cost
 * and tokens are in Postgres (`persona_ticks`) and on the dashboard.
 */
export function archetypeLabel(archetype: string | undefined): string {
  return archetype && (BUILTIN_ARCHETYPES as readonly string[]).includes(archetype) ? archetype : 'other';
}
