// Standalone runs of a subgraph (main.ts): start, print the URL, close cleanly on SIGINT/SIGTERM, and
// exit non-zero with a readable message (no stack for configuration errors) when start-up fails.
import type { RunningServer } from '../../lib/http-server.js';
import { ConfigError } from './env.js';

export async function runUntilSignalled(name: string, start: () => Promise<RunningServer>): Promise<void> {
  let server: RunningServer;
  try {
    server = await start();
  } catch (error) {
    console.error(`${name} failed to start: ${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}`);
    process.exitCode = 1;
    return;
  }
  console.log(`${name} listening on ${server.url}/graphql`);
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${name}: ${signal} received, closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: close failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
