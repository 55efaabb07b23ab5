// Standalone runs of a subgraph (main.ts): start, print the URL, close cleanly on SIGINT/SIGTERM, and
// exit non-zero with a readable message (no stack for configuration errors) when start-up fails.
import type { RunningServer } from '../../lib/http-server.js';
import { ConfigError } from './env.js';

export async function runUntilSignalled(name: string, start: () => Promise<RunningServer>): Promise<void> {
  let server: RunningServer;
  try {
    server = await start();
  } catch (error) {
    console.error(
      `${name} failed to start: ${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`${name} listening on ${server.url}/graphql`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${name}: ${signal} received, closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: close failed`, error);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: tsx's own signal handler exits at once when no listener is left, which would
  // cut the close short (an embedded store must be closed, not abandoned).
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
