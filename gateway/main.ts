// Runs the gateway alone: `node --import tsx gateway/main.ts` (configured by environment, see config.ts).
import { loadGatewayConfig } from './config.js';
import { GRAPHQL_PATH, startGateway } from './server.js';

try {
  const server = await startGateway(loadGatewayConfig());
  process.stdout.write(`gateway listening on ${server.url}${GRAPHQL_PATH}\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`gateway: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`gateway: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
