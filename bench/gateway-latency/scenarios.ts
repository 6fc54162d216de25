// The scenarios of bench/gateway-latency.ts: what each load run calls, on which server.
//   bare echo               the SDK's floor: one trivial tool, no auth, no database
//   same-SQL todo_list      bare-sql-server.ts: the gateway's todo_list query for the same user, no gateway
//   same-SQL todo_create    bare-sql-server.ts: the gateway's todo_create statements (with the key's claim and
//                           stored result), no gateway
//   gateway todo_list       read tool: auth, privileges, policy, zod, the query, output check, metrics
//   gateway todo_create     write tool as the worker calls it: with an idempotency key
//   gateway todo_create/nk  the same without an idempotency key (supplementary: shows the key's cost)
//   gateway … (shared limits)  todo_list and todo_create on the gateway's twin with
//                           GATEWAY_LIMITS_STORE=postgres (one upsert per call, as several instances
//                           run): what limits shared across instances cost per call (issue 23)
// Every gateway scenario is compared with bare echo (the whole gateway's cost, Postgres included: the
// figure earlier runs reported); todo_list and todo_create also with their same-SQL twin (what the gateway
// adds to the work any server of this data must do: the goal of issue 12).
//   gateway bench_echo      only with --diagnose: the gateway's path around a no-op handler (auth,
//                           session, policy, zod, metrics, empty BEGIN/COMMIT): plumbing vs tool work
//   gateway todo_list 1     only with --diagnose: todo_list returning 1 row instead of 20: the query
//                           round trip without the 20-row payload (drizzle mapping, JSON, response)
import type { BareReady, GatewayReady } from './children.ts';
import type { LoadTarget } from './load-client.ts';

export type ServerId = 'bare' | 'bareSql' | 'gateway';

/** A gateway scenario's goal against its same-SQL twin. */
export interface SameSqlGoal {
  twin: string;
  minThroughputRatio: number;
  /** Undefined: p99 is reported, not judged. */
  maxP99Ratio?: number;
}

export interface Scenario {
  id: string;
  label: string;
  server: ServerId;
  /** Set on the scenarios the goal is judged on. */
  goal?: SameSqlGoal;
  /** It inserts rows: the database is vacuumed and analysed after it, before the next measured run. */
  writes?: true;
  target(runTag: string): LoadTarget;
}

export const GOALS = {
  todoList: { twin: 'samesql_todo_list', minThroughputRatio: 0.9, maxP99Ratio: 1.3 },
  todoCreate: { twin: 'samesql_todo_create', minThroughputRatio: 0.8 },
} satisfies Record<string, SameSqlGoal>;

export function scenarios(
  bare: BareReady,
  bareSql: BareReady,
  gw: GatewayReady,
  diagnose: boolean,
): Scenario[] {
  const createArgs = (i: number, seq: number) => ({ title: `bench todo ${i}-${seq}: water the plants` });
  // As the worker calls write tools: one fresh idempotency key per call.
  const keyed = (server: string, runTag: string) => (i: number, seq: number) => ({
    idempotencyKey: `bench-${server}-${runTag}-${i}-${seq}`,
  });
  // The same-SQL server binds a session to the user its bearer names (unverified): the same users.
  const asSqlUser = (u: { userId: string; personalSpaceId: string }) => `${u.userId}:${u.personalSpaceId}`;
  const diagnostic: Scenario[] = diagnose
    ? [
        {
          id: 'gateway_bench_echo',
          label: 'gateway bench_echo (diagnostic)',
          server: 'gateway',
          target: () => ({
            mcpUrl: gw.mcpUrl,
            tokens: gw.readers,
            tool: 'bench_echo',
            args: () => ({ text: 'buy oat milk and call the dentist' }),
          }),
        },
        {
          id: 'gateway_todo_list_1',
          label: 'gateway todo_list limit 1 (diagnostic)',
          server: 'gateway',
          target: () => ({
            mcpUrl: gw.mcpUrl,
            tokens: gw.readers,
            tool: 'todo_list',
            args: () => ({ limit: 1 }),
          }),
        },
      ]
    : [];
  return [
    {
      id: 'bare_echo',
      label: 'bare SDK echo',
      server: 'bare',
      target: () => ({
        mcpUrl: bare.mcpUrl,
        tokens: [],
        tool: 'echo',
        args: () => ({ text: 'buy oat milk and call the dentist' }),
      }),
    },
    {
      id: 'samesql_todo_list',
      label: 'same-SQL todo_list',
      server: 'bareSql',
      target: () => ({
        mcpUrl: bareSql.mcpUrl,
        tokens: gw.readerUsers.map(asSqlUser),
        tool: 'todo_list',
        args: () => ({}),
      }),
    },
    {
      id: 'samesql_todo_create',
      writes: true,
      label: 'same-SQL todo_create',
      server: 'bareSql',
      target: (runTag) => ({
        mcpUrl: bareSql.mcpUrl,
        tokens: gw.writerUsers.map(asSqlUser),
        tool: 'todo_create',
        args: createArgs,
        meta: keyed('sql', runTag),
      }),
    },
    {
      id: 'gateway_todo_list',
      label: 'gateway todo_list',
      server: 'gateway',
      goal: GOALS.todoList,
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.readers, tool: 'todo_list', args: () => ({}) }),
    },
    {
      id: 'gateway_todo_create',
      writes: true,
      label: 'gateway todo_create',
      server: 'gateway',
      goal: GOALS.todoCreate,
      target: (runTag) => ({
        mcpUrl: gw.mcpUrl,
        tokens: gw.writers,
        tool: 'todo_create',
        args: createArgs,
        meta: keyed('gw', runTag),
      }),
    },
    {
      id: 'gateway_todo_create_nokey',
      writes: true,
      label: 'gateway todo_create (no idem. key)',
      server: 'gateway',
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.writers, tool: 'todo_create', args: createArgs }),
    },
    {
      id: 'gateway_todo_list_sharedlimits',
      label: 'gateway todo_list (shared limits)',
      server: 'gateway',
      target: () => ({
        mcpUrl: gw.sharedLimitsMcpUrl!,
        tokens: gw.readers,
        tool: 'todo_list',
        args: () => ({}),
      }),
    },
    {
      id: 'gateway_todo_create_sharedlimits',
      writes: true,
      label: 'gateway todo_create (shared limits)',
      server: 'gateway',
      target: (runTag) => ({
        mcpUrl: gw.sharedLimitsMcpUrl!,
        tokens: gw.writers,
        tool: 'todo_create',
        args: createArgs,
        meta: keyed('gwmem', runTag),
      }),
    },
    ...diagnostic,
  ];
}
