// The names of the published operations: those of the first-party clients, in the persisted-
// operation manifest graphql-codegen writes (clients/__generated__/persisted-documents.json, hash →
// document). /metrics labels operations by these names only (graphql-operation-metrics.ts): a
// client chooses its operationName freely, so labelling by any name sent would let junk names take
// the label slots and blind the first-party series. It lives in lib/ because the gateway (from the
// manifest it loads) and the subgraphs (from the same generated file) both label by it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type DocumentNode } from 'graphql';

/** The manifest generated from clients/operations, as the repository holds it. */
export const FIRST_PARTY_MANIFEST = fileURLToPath(
  new URL('../clients/__generated__/persisted-documents.json', import.meta.url),
);

/** The names of the operations a document defines. */
export function operationNamesIn(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
  );
}

/**
 * The operation names of a manifest file; empty when it cannot be read or parsed (the metrics then
 * label every operation "(other)": nothing to start or stop over). The gateway, which must have its
 * manifest, reads it strictly itself (gateway/persisted-operations/manifest.ts).
 */
export function readPublishedOperationNames(manifestPath: string = FIRST_PARTY_MANIFEST): Set<string> {
  const names = new Set<string>();
  try {
    const entries = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    for (const document of Object.values(entries)) {
      if (typeof document !== 'string') continue;
      for (const name of operationNamesIn(parse(document, { noLocation: true }))) names.add(name);
    }
  } catch {
    names.clear();
  }
  return names;
}
