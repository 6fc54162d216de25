// Time spent inside activities, attributed with Temporal's activity context: the worker pool's
// Postgres queries, the model HTTP call, the gateway call and the MCP session set-up.
import { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type pg from 'pg';
import type { ActivityDeps } from '../../activities/index.ts';

export interface Inside {
  dbMs: number;
  dbQueries: number;
  llmMs: number;
  gatewayMs: number;
  sessionMs: number;
  /** The activity functions' own execution (the interceptor's span), Σ over executions, and their count. */
  execMs: number;
  execs: number;
}

// Module-level: the wrapped pool and deps report into it from inside activities, which know only
// their own context; the benchmark reads it per tick (workflow id).
const inside = new Map<string, Map<string, Inside>>(); // workflowId → activity type → totals

/** What the activities of one tick spent, by activity type. */
export const insideOf = (workflowId: string): Record<string, Inside> =>
  Object.fromEntries(inside.get(workflowId) ?? []);

function bucket(known?: Context['info']): Inside | undefined {
  let info = known;
  try {
    info ??= Context.current().info;
  } catch {
    return undefined;
  }
  const workflowId = info.workflowExecution?.workflowId ?? '?';
  const perTick = inside.get(workflowId) ?? new Map<string, Inside>();
  inside.set(workflowId, perTick);
  let b = perTick.get(info.activityType);
  if (!b)
    perTick.set(
      info.activityType,
      (b = { dbMs: 0, dbQueries: 0, llmMs: 0, gatewayMs: 0, sessionMs: 0, execMs: 0, execs: 0 }),
    );
  return b;
}

async function timed<T>(field: 'llmMs' | 'gatewayMs' | 'sessionMs', run: () => Promise<T>): Promise<T> {
  const b = bucket();
  const t = performance.now();
  try {
    return await run();
  } finally {
    if (b) b[field] += performance.now() - t;
  }
}

/** Times every promise-style query of the worker's pool (including transactions' clients). */
export function instrumentPool(pool: pg.Pool): void {
  type QueryFn = (...args: unknown[]) => unknown;
  const wrap = (target: { query: QueryFn }) => {
    const orig = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      const r = orig(...args);
      if (typeof args[args.length - 1] === 'function' || !(r instanceof Promise)) return r;
      const b = bucket();
      if (!b) return r;
      const t = performance.now();
      b.dbQueries++;
      return r.finally(() => (b.dbMs += performance.now() - t));
    };
  };
  wrap(pool as unknown as { query: QueryFn });
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    wrap(client as unknown as { query: QueryFn });
  });
}

export function instrumentDeps(deps: ActivityDeps): void {
  const llm = deps.llm;
  const create = llm.createMessage.bind(llm);
  llm.createMessage = (req) => timed('llmMs', () => create(req));
  const s = deps.sessions;
  const callTool = s.callTool.bind(s);
  s.callTool = (...a) => timed('gatewayMs', () => callTool(...a));
  // The MCP session (initialize handshake) is opened lazily by the first call; time how long it takes
  // (a private method: bench-only instrumentation).
  const priv = s as unknown as { connect(personaId: string): Promise<unknown> };
  const connect = priv.connect.bind(s);
  priv.connect = (personaId) => timed('sessionMs', () => connect(personaId));
}

/** A local activity as the worker ran it (epoch ms, this machine's clock — the dev server's too). */
export interface LocalSpan {
  type: string;
  attempt: number;
  from: number;
  to: number;
}

const localSpans = new Map<string, LocalSpan[]>(); // workflowId → local activities, in start order

/** The local activities one tick ran, timed in the worker (their markers carry no start time). */
export const localSpansOf = (workflowId: string): LocalSpan[] => localSpans.get(workflowId) ?? [];

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Times every activity's execution in the worker (an activity interceptor): into its tick's totals
 * (set against the history's span: Temporal's plumbing per activity), and
 * for local activities as spans (their markers carry no start time).
 */
export const timeActivities: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const { info } = ctx;
      const from = epochMs();
      try {
        return await next(input);
      } finally {
        const to = epochMs();
        const b = bucket(info);
        if (b) {
          b.execMs += to - from;
          b.execs++;
        }
        if (info.isLocal) {
          const id = info.workflowExecution?.workflowId ?? '?';
          localSpans.set(id, [
            ...(localSpans.get(id) ?? []),
            { type: info.activityType, attempt: info.attempt, from, to },
          ]);
        }
      }
    },
  },
});
