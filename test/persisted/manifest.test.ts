// The generated manifest (clients/__generated__/persisted-documents.json) as the gateway reads it,
// and what it refuses to start with.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import {
  canonicalDocument,
  loadManifest,
  manifestFromEntries,
  PersistedOperationsError,
  sha256Hex,
} from '../../gateway/persisted-operations/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OPERATIONS = path.join(ROOT, 'clients/operations');
const temporary = mkdtempSync(path.join(tmpdir(), 'c360-manifest-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('the generated manifest', () => {
  const config = loadGatewayConfig({});
  const manifest = loadManifest(config.persistedOperations.manifestPath);
  const entries = JSON.parse(readFileSync(config.persistedOperations.manifestPath, 'utf8')) as Record<string, string>;

  it('is the default PERSISTED_OPERATIONS_MANIFEST and holds every clients/operations file', () => {
    expect(config.persistedOperations.manifestPath).toBe(
      path.join(ROOT, 'clients/__generated__/persisted-documents.json'),
    );
    const files = readdirGraphql();
    expect(manifest.size).toBe(files.length);
    expect(files).toEqual(
      expect.arrayContaining(['customer-360.graphql', 'validate-quote.graphql', 'submit-quote.graphql']),
    );
  });

  it("recognises each operation file's own text as its manifest document (the partner check)", () => {
    for (const file of readdirGraphql()) {
      const source = readFileSync(path.join(OPERATIONS, file), 'utf8');
      expect(manifest.containsDocument(parse(source)), file).toBe(true);
    }
  });

  it("canonicalizes codegen's printing and the source alike", () => {
    for (const [hash, document] of Object.entries(entries)) {
      expect(manifest.documentFor(hash)).toBe(document);
      const operationName = /^(?:query|mutation) (\w+)/.exec(document)?.[1];
      const file = readdirGraphql().find((name) =>
        readFileSync(path.join(OPERATIONS, name), 'utf8').includes(` ${operationName}(`),
      );
      expect(file, operationName).toBeDefined();
      expect(canonicalDocument(parse(document))).toBe(
        canonicalDocument(parse(readFileSync(path.join(OPERATIONS, file!), 'utf8'))),
      );
    }
  });

  it('does not take a different operation for a manifest one', () => {
    expect(
      manifest.containsDocument(
        parse('query Customer360($erp: String!) { accountByErpNumber(erpCustomerNumber: $erp) { id } }'),
      ),
    ).toBe(false);
    // Reordering a mutation's root fields changes what it does.
    const ops = manifestFromEntries({ [sha256Hex('mutation M { a b }')]: 'mutation M { a b }' });
    expect(ops.containsDocument(parse('mutation M { b a }'))).toBe(false);
    expect(ops.containsDocument(parse('mutation M {\n  a\n  b\n}'))).toBe(true);
  });
});

describe('a manifest the gateway refuses to start with', () => {
  const write = (name: string, content: string) => {
    const file = path.join(temporary, name);
    writeFileSync(file, content);
    return file;
  };

  it('missing', () => {
    expect(() => loadManifest(path.join(temporary, 'absent.json'))).toThrow(
      /Cannot read the persisted-operation manifest.*npm run codegen/,
    );
  });

  it('not JSON, or not an object', () => {
    expect(() => loadManifest(write('bad.json', '{'))).toThrow(PersistedOperationsError);
    expect(() => loadManifest(write('array.json', '[]'))).toThrow(/expected a JSON object/);
  });

  it('a key that is not a sha256, or not the hash of its document', () => {
    expect(() => manifestFromEntries({ md5abc: '{ a }' })).toThrow(/not a sha256 hash/);
    expect(() => manifestFromEntries({ [`sha256:${sha256Hex('{ a }')}`]: '{ b }' })).toThrow(
      /not the sha256 of its document/,
    );
  });

  it('a document that does not parse', () => {
    expect(() => manifestFromEntries({ [sha256Hex('{ a')]: '{ a' })).toThrow(/does not parse/);
  });
});

function readdirGraphql(): string[] {
  return readdirSync(OPERATIONS)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
}
