// Temporal for tests and benchmarks: TEMPORAL_ADDRESS (npm test sets it to the run's dev server),
// else a dev server started here, in memory by default; connections for a client and a worker.
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { parseEnv } from '../../lib/config/env.ts';
import type { Logger } from '../../lib/logger.ts';
import { freePort } from '../../lib/net/free-port.ts';
import { temporalEnvShape, toTemporalConfig } from '../../lib/temporal/config.ts';
import { connectWorker, resolveTemporal, type TemporalTarget } from '../../lib/temporal/connect.ts';

/** The address `npm test` gives every test file; a clear error when a file is run some other way. */
export function requireTemporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('run tests with `npm test` (it starts a Temporal dev server) or set TEMPORAL_ADDRESS');
  return address;
}

export interface TemporalConnections {
  target: TemporalTarget;
  connection: Connection;
  client: Client;
  /** The worker side's connection (a worker cannot use the client's). */
  native: NativeConnection;
  /** Closes both connections and stops a dev server started here. */
  stop(): Promise<void>;
}

/**
 * TEMPORAL_ADDRESS when set, else an in-memory (or, with `inFile`, SQLite-file) headless dev server
 * on a free port, with its files under `runDir`; connected.
 */
export async function startTemporal(opts: {
  runDir: string;
  logger: Logger;
  inFile?: boolean;
  dataConverter?: DataConverter;
}): Promise<TemporalConnections> {
  const config = toTemporalConfig(parseEnv(temporalEnvShape, process.env, 'the harness'));
  const target = await resolveTemporal(
    { ...config, devPort: config.address ? config.devPort : await freePort() },
    { dataDir: opts.runDir, logger: opts.logger, inMemory: !opts.inFile, headless: true },
  );
  const conns = await connectTemporal(target, opts.dataConverter).catch(async (err: unknown) => {
    await target.stop();
    throw err;
  });
  return {
    ...conns,
    async stop() {
      await conns.stop();
      await target.stop();
    },
  };
}

/** Client and worker connections to a target that is already running (stop() leaves it running). */
export async function connectTemporal(
  target: TemporalTarget,
  dataConverter?: DataConverter,
): Promise<TemporalConnections> {
  const connection = await Connection.connect(target.connectionOptions);
  const native = await connectWorker(target).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const client = new Client({
    connection,
    namespace: target.namespace,
    ...(dataConverter && { dataConverter }),
  });
  return {
    target,
    connection,
    client,
    native,
    async stop() {
      await native.close();
      await connection.close();
    },
  };
}

/** A target for an address that is already running (what npm test hands every test file). */
export function addressTarget(address: string, namespace = 'default'): TemporalTarget {
  return {
    address,
    namespace,
    uiUrl: undefined,
    source: 'TEMPORAL_ADDRESS',
    connectionOptions: { address },
    stop: async () => {},
  };
}
