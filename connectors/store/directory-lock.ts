// PGlite is one PostgreSQL backend inside this process: two processes (or two instances in one
// process) opening the same data directory would corrupt it. A lock file beside the directory names
// the holder's pid; a lock whose process is gone is stale and taken over (a crash leaves one behind).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isProcessAlive } from '../../lib/process-alive.js';

export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
}

/** Directories this process holds, so a second instance in the same process is refused too. */
const heldHere = new Set<string>();

/** Takes the lock of `directory` (or throws StoreLockedError); returns its release. */
export function lockDirectory(directory: string): () => void {
  const lockFile = `${directory}.lock`;
  if (heldHere.has(directory)) {
    throw new StoreLockedError(`The embedded store ${directory} is already open in this process.`);
  }
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
      throw new StoreLockedError(
        `The embedded store ${directory} is in use by process ${holder}. Give this service its own DATA_DIR, ` +
          'or set DATABASE_URL to share PostgreSQL between processes.',
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  heldHere.add(directory);
  return () => {
    heldHere.delete(directory);
    rmSync(lockFile, { force: true });
  };
}
