// The Apex class of persisted-operation hashes (salesforce/tools/persisted-operations-apex.ts):
// made from the manifest, one constant per Salesforce* operation, and the committed class is the
// one the committed manifest makes (check:generated also regenerates the manifest: codegen-drift).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APEX_OPERATIONS_FILE,
  apexOperationsClass,
  PERSISTED_MANIFEST_FILE,
  salesforceOperations,
} from '../../salesforce/tools/persisted-operations-apex.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = readFileSync(path.join(ROOT, PERSISTED_MANIFEST_FILE), 'utf8');

describe('C360PersistedOperations.cls', () => {
  it('is what the committed manifest makes', () => {
    expect(readFileSync(path.join(ROOT, APEX_OPERATIONS_FILE), 'utf8')).toBe(apexOperationsClass(manifest));
  });

  it('holds every Salesforce operation of the manifest with the sha256 of its document, and no other', () => {
    const documents = JSON.parse(manifest) as Record<string, string>;
    const operations = salesforceOperations(manifest);
    expect(operations.map((operation) => [operation.name, operation.constant])).toEqual([
      ['SalesforceAccount360', 'ACCOUNT_360'],
      ['SalesforceSubmitQuote', 'SUBMIT_QUOTE'],
      ['SalesforceValidateQuote', 'VALIDATE_QUOTE'],
    ]);
    for (const operation of operations) {
      const document = documents[`sha256:${operation.sha256Hash}`]!;
      expect(document).toContain(operation.name);
      expect(createHash('sha256').update(document).digest('hex')).toBe(operation.sha256Hash);
    }
  });

  it('follows a changed manifest, and refuses one without Salesforce operations', () => {
    const changed = JSON.stringify({
      ['sha256:' + 'a'.repeat(64)]: 'query SalesforceTracking360($id: ID!) { account(id: $id) { id } }',
      ['sha256:' + 'b'.repeat(64)]: 'query Other { accounts { nodes { id } } }',
    });
    expect(apexOperationsClass(changed)).toContain(
      `public static final Operation TRACKING_360 = new Operation('SalesforceTracking360', '${'a'.repeat(64)}');`,
    );
    expect(apexOperationsClass(changed)).not.toContain('Other');
    expect(() =>
      apexOperationsClass(
        JSON.stringify({ ['sha256:' + 'b'.repeat(64)]: 'query Other { accounts { nodes { id } } }' }),
      ),
    ).toThrow(/no Salesforce\* operation/);
  });
});
