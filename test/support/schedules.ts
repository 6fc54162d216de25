import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { ensureSearchAttributes } from '../../lib/temporal/connect.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';
import { testLogger } from './database.ts';
import { waitUntil } from './wait.ts';
import { requireTemporalAddress } from './temporal.ts';

/**
 * A namespace of this test file's own, with the project's search attributes. Schedule sync
 * deletes every `persona-*` schedule the database does not know, and `pause --all` signals every
 * running tick: both act namespace-wide, so these tests must not share a namespace with test
 * files running alongside them. Deleted (best effort) when the file ends.
 */
export async function freshNamespace(): Promise<{
  namespace: string;
  connection: Connection;
  client: Client;
}> {
  const connection = await Connection.connect({ address: requireTemporalAddress() });
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  // A new namespace reaches the frontend's namespace cache (and its search attributes the
  // visibility layer) a little later: wait until a visibility query on them is accepted.
  await waitUntil(
    async () => {
      try {
        await ensureSearchAttributes(connection, namespace, testLogger);
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        if (SEARCH_ATTRIBUTES.some((k) => !customAttributes?.[k.name])) return false;
        await connection.workflowService.listWorkflowExecutions({
          namespace,
          query: `PersonaId = 'probe' AND Archetype = 'probe' AND Cadence = 'probe'`,
        });
        await connection.workflowService.listSchedules({ namespace, maximumPageSize: 1 });
        return true;
      } catch {
        return false;
      }
    },
    `namespace ${namespace} was usable`,
    { timeoutMs: 60_000, everyMs: 250 },
  );
  const client = new Client({ connection, namespace });
  after(async () => {
    // Leave nothing running (a server given by TEMPORAL_ADDRESS may refuse namespace deletion).
    for await (const s of client.schedule.list()) await client.schedule.getHandle(s.scheduleId).delete();
    for await (const wf of client.workflow.list({ query: `ExecutionStatus = 'Running'` }))
      await client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('test file ended')
        .catch(() => {});
    await connection.operatorService.deleteNamespace({ namespace }).catch(() => {});
    await connection.close();
  });
  return { namespace, connection, client };
}
