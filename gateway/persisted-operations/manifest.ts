// The persisted-operation manifest: what graphql-codegen's client preset writes from the
// first-party clients' operations (codegen.yml: clients/__generated__/persisted-documents.json),
// a JSON object of document hash → document. Read once when the gateway starts; a manifest that
// is missing, malformed, or whose hashes do not match their documents stops the start, since
// partner callers could run nothing and first-party clients would fail one request at a time.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { operationNamesIn } from '../../lib/published-operations.js';
import { canonicalDocument } from './canonical.js';

export class PersistedOperationsError extends Error {
  override readonly name = 'PersistedOperationsError';
}

export interface PersistedManifest {
  /** Operations in the manifest. */
  readonly size: number;
  /** The names of its operations: the published names /metrics labels by. */
  readonly operationNames: ReadonlySet<string>;
  /** The manifest's document for a hash: hex, or codegen's `sha256:<hex>` (either case). */
  documentFor(hash: string): string | undefined;
  has(hash: string): boolean;
  /** Whether a document is one of the manifest's, however it is laid out (canonical.ts). */
  containsDocument(document: DocumentNode): boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A hash as Apollo's APQ protocol sends it (64 hex digits), or as the GraphQL-over-HTTP persisted
 * documents appendix and codegen's `__meta__.hash` write it (`sha256:<hex>`); null if neither.
 */
export function normalizeHash(hash: string): string | null {
  const hex = hash.toLowerCase().replace(/^sha256:/, '');
  return SHA256_HEX.test(hex) ? hex : null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function loadManifest(manifestPath: string): PersistedManifest {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new PersistedOperationsError(
      `Cannot read the persisted-operation manifest at PERSISTED_OPERATIONS_MANIFEST=${manifestPath} ` +
        `(${(error as NodeJS.ErrnoException).code ?? error}); generate it with \`npm run codegen\``,
      { cause: error },
    );
  }
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (error) {
    throw new PersistedOperationsError(`The persisted-operation manifest at ${manifestPath} is not JSON`, {
      cause: error,
    });
  }
  return manifestFromEntries(entries, manifestPath);
}

/** Checks every entry: a sha256 key, a parsable document, and the key really being that document's hash. */
export function manifestFromEntries(entries: unknown, source = 'the manifest'): PersistedManifest {
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new PersistedOperationsError(`${source}: expected a JSON object of hash → document`);
  }
  const documents = new Map<string, string>();
  const canonical = new Set<string>();
  const operationNames = new Set<string>();
  for (const [key, document] of Object.entries(entries)) {
    const hash = normalizeHash(key);
    if (hash === null) throw new PersistedOperationsError(`${source}: "${key}" is not a sha256 hash`);
    if (typeof document !== 'string')
      throw new PersistedOperationsError(`${source}: the document of ${key} is not a string`);
    // The APQ protocol checks a hash against the query text sent with it; a manifest whose keys are
    // not their documents' hashes would make the same operation fail when sent as text.
    if (sha256Hex(document) !== hash)
      throw new PersistedOperationsError(`${source}: ${key} is not the sha256 of its document`);
    try {
      const parsed = parse(document, { noLocation: true });
      canonical.add(canonicalDocument(parsed));
      for (const name of operationNamesIn(parsed)) operationNames.add(name);
    } catch (error) {
      throw new PersistedOperationsError(
        `${source}: the document of ${key} does not parse: ${(error as Error).message}`,
        { cause: error },
      );
    }
    documents.set(hash, document);
  }

  const lookup = (hash: string) => {
    const normalized = normalizeHash(hash);
    return normalized === null ? undefined : documents.get(normalized);
  };
  return {
    size: documents.size,
    operationNames,
    documentFor: lookup,
    has: (hash) => lookup(hash) !== undefined,
    containsDocument: (document) => canonical.has(canonicalDocument(document)),
  };
}
