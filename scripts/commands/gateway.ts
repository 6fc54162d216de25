import type { Command } from 'commander';
import { createLogger } from '../../lib/logger.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { startGateway } from '../../mcp-gateway/server.ts';

export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('run the MCP gateway in the foreground (GATEWAY_PORT, default 3069)')
    .option('--port <port>', 'port to listen on (overrides GATEWAY_PORT)')
    .option(
      '--products <file>',
      'products file: upstream MCP servers to federate (overrides PERSONA_PRODUCTS)',
    )
    .action(async (opts: { port?: string; products?: string }) => {
      const config = loadGatewayConfig({
        ...process.env,
        ...(opts.port ? { GATEWAY_PORT: opts.port } : {}),
        ...(opts.products ? { PERSONA_PRODUCTS: opts.products } : {}),
      });
      const logger = createLogger('gateway', config.logLevel);
      const gateway = await startGateway(config, logger);
      process.stderr.write(
        `gateway ready: MCP ${gateway.url}/mcp · health ${gateway.url}/health · metrics ${gateway.url}/metrics · JWKS ${gateway.url}/.well-known/jwks.json\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.info('shutting down');
      await gateway.close();
    });
}
