// A temporary directory per test file (DATA_DIR for embedded stores), removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function createTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `c360-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
