// The scenarios of bench/gateway-latency.ts: what each load run calls, on which server.
//   bare echo               the SDK's floor: one trivial tool, no auth, no database
//   gateway todo_list       read tool: auth, policy, zod, one read-only transaction
//   gateway todo_create     write tool as the worker calls it: with an idempotency key
//   gateway todo_create/nk  the same without an idempotency key (supplementary: shows the key's cost)
//   gateway bench_echo      only with --diagnose: the gateway's path around a no-op handler (auth,
//                           session, policy, zod, metrics, empty BEGIN/COMMIT): plumbing vs tool work
//   gateway todo_list 1     only with --diagnose: todo_list returning 1 row instead of 20: the query
//                           round trip without the 20-row payload (drizzle mapping, JSON, response)
import type { BareReady, GatewayReady } from './children.ts';
import type { LoadTarget } from './load-client.ts';

export interface Scenario {
  id: string;
  label: string;
  server: 'bare' | 'gateway';
  /** Counts towards the goal (the supplementary scenario does not). */
  goal: boolean;
  target(runTag: string): LoadTarget;
}

export function scenarios(bare: BareReady, gw: GatewayReady, diagnose: boolean): Scenario[] {
  const createArgs = (i: number, seq: number) => ({ title: `bench todo ${i}-${seq}: water the plants` });
  const diagnostic: Scenario[] = diagnose
    ? [
        {
          id: 'gateway_bench_echo',
          label: 'gateway bench_echo (diagnostic)',
          server: 'gateway',
          goal: false,
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
          goal: false,
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
      goal: false,
      target: () => ({
        mcpUrl: bare.mcpUrl,
        tokens: [],
        tool: 'echo',
        args: () => ({ text: 'buy oat milk and call the dentist' }),
      }),
    },
    {
      id: 'gateway_todo_list',
      label: 'gateway todo_list',
      server: 'gateway',
      goal: true,
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.readers, tool: 'todo_list', args: () => ({}) }),
    },
    {
      id: 'gateway_todo_create',
      label: 'gateway todo_create',
      server: 'gateway',
      goal: true,
      target: (runTag) => ({
        mcpUrl: gw.mcpUrl,
        tokens: gw.writers,
        tool: 'todo_create',
        args: createArgs,
        // As the worker calls write tools: one fresh idempotency key per call.
        meta: (i, seq) => ({ idempotencyKey: `bench-${runTag}-${i}-${seq}` }),
      }),
    },
    {
      id: 'gateway_todo_create_nokey',
      label: 'gateway todo_create (no idem. key)',
      server: 'gateway',
      goal: false,
      target: () => ({ mcpUrl: gw.mcpUrl, tokens: gw.writers, tool: 'todo_create', args: createArgs }),
    },
    ...diagnostic,
  ];
}
