import fs from 'node:fs/promises';
import path from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from '../logger.ts';
import { findTemporalCli } from './cli-binary.ts';
import type { TemporalConfig } from './config.ts';
import { startDevServer, type DevServerHandle } from './dev-server.ts';
import { SEARCH_ATTRIBUTES } from '../../workflows/tick-contract.ts';

export interface TemporalTarget {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** Where the target came from, for start-up messages. */
  source: 'TEMPORAL_ADDRESS' | 'dev-server';
  connectionOptions: ConnectionOptions;
  stop(): Promise<void>;
}

async function tlsOptions(config: TemporalConfig): Promise<ConnectionOptions['tls']> {
  if (!config.tls) return undefined;
  const read = (p?: string) => (p ? fs.readFile(p) : Promise.resolve(undefined));
  const [crt, key, ca] = await Promise.all([
    read(config.tls.certPath),
    read(config.tls.keyPath),
    read(config.tls.caPath),
  ]);
  return {
    ...(config.tls.serverName && { serverNameOverride: config.tls.serverName }),
    ...(ca && { serverRootCACertificate: ca }),
    ...(crt && key && { clientCertPair: { crt, key } }),
  };
}

/**
 * Resolves where Temporal is: TEMPORAL_ADDRESS (+ TLS / API key) when set; otherwise the Temporal
 * CLI dev server, started by this process (persistent SQLite under the data dir, Web UI on) or
 * attached to if one already serves on the port.
 */
export async function resolveTemporal(
  config: TemporalConfig,
  opts: { dataDir: string; logger: Logger; inMemory?: boolean; headless?: boolean },
): Promise<TemporalTarget> {
  if (config.address) {
    const connectionOptions: ConnectionOptions = {
      address: config.address,
      tls: await tlsOptions(config),
      ...(config.apiKey && { apiKey: config.apiKey }),
    };
    return {
      address: config.address,
      namespace: config.namespace,
      uiUrl: config.uiUrl,
      source: 'TEMPORAL_ADDRESS',
      connectionOptions,
      stop: async () => {},
    };
  }
  const cliPath = await findTemporalCli({ explicitPath: config.cliPath, logger: opts.logger });
  const dir = path.join(opts.dataDir, 'temporal');
  const server: DevServerHandle = await startDevServer({
    cliPath,
    dataDir: dir,
    port: config.devPort,
    uiPort: config.uiPort,
    namespace: config.namespace,
    logger: opts.logger,
    dbFile: opts.inMemory ? undefined : path.join(dir, 'temporal.sqlite'),
    headless: opts.headless,
  });
  return {
    address: server.address,
    namespace: config.namespace,
    uiUrl: config.uiUrl ?? server.uiUrl,
    source: 'dev-server',
    connectionOptions: { address: server.address },
    stop: () => server.stop(),
  };
}

export const connectClient = (t: TemporalTarget) => Connection.connect(t.connectionOptions);

export const connectWorker = (t: TemporalTarget) =>
  NativeConnection.connect({
    address: t.connectionOptions.address,
    tls: t.connectionOptions.tls,
    ...(t.connectionOptions.apiKey && { apiKey: t.connectionOptions.apiKey as string }),
  });

/** Registers the project's search attributes where missing (the dev server gets them at start). */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  logger: Logger,
): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((k) => !customAttributes?.[k.name]);
  if (!missing.length) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      // 2 = INDEXED_VALUE_TYPE_KEYWORD
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, 2])),
    });
    logger.info({ added: missing.map((k) => k.name) }, 'registered search attributes');
  } catch (err) {
    throw new Error(
      `search attributes ${missing.map((k) => k.name).join(', ')} are not registered in namespace ${namespace} and could not be added ` +
        `(${(err as Error).message}); register them as Keyword with \`temporal operator search-attribute create\``,
      { cause: err },
    );
  }
}
