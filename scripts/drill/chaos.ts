import { setTimeout as sleep } from 'node:timers/promises';
import type { TcpProxy } from '../../lib/net/tcp-proxy.ts';
import { httpUp, temporalUp, waitFor, type Service } from './services.ts';

export interface Stack {
  temporal: Service;
  temporalAddress: string;
  /** One gateway, or several behind a round-robin proxy (--gateways). */
  gateways: Service[];
  gatewayUrls: string[];
  worker: Service;
  postgres: TcpProxy;
}

export interface ChaosEvent {
  at: number;
  what: string;
}

const OUTAGE_MS = 10_000;

/**
 * One round of faults, each after the previous has healed: the worker SIGKILLed and restarted, a
 * gateway (round `round`'s turn of them; with several, the others serve meanwhile) SIGKILLed and
 * restarted 10 s later, the Temporal dev server SIGKILLed and restarted on the
 * same SQLite file, Postgres cut (its proxy drops every connection) for 10 s. `gapMs` of normal
 * running between faults lets ticks make progress on the healed stack.
 */
export async function chaosRound(
  stack: Stack,
  gapMs: number,
  log: (e: string) => void,
  round = 0,
): Promise<void> {
  await sleep(gapMs);
  log('SIGKILL worker, restart');
  await stack.worker.kill();
  stack.worker.start();
  await sleep(gapMs);
  const g = round % stack.gateways.length;
  const gateway = stack.gateways[g]!;
  log(`SIGKILL ${gateway.name}, restart in ${OUTAGE_MS / 1000}s`);
  await gateway.kill();
  await sleep(OUTAGE_MS);
  gateway.start();
  await waitFor(gateway.name, httpUp(`${stack.gatewayUrls[g]}/health`));
  await sleep(gapMs);
  log('SIGKILL Temporal dev server, restart on the same file');
  await stack.temporal.kill();
  stack.temporal.start();
  await waitFor('Temporal', temporalUp(stack.temporalAddress));
  await sleep(gapMs);
  log(`cut Postgres for ${OUTAGE_MS / 1000}s`);
  stack.postgres.cut();
  await sleep(OUTAGE_MS);
  stack.postgres.restore();
  log('Postgres back');
}
