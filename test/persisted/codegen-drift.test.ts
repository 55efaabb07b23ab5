// `npm run check:generated` (scripts/check-generated.ts) covers the persisted-operation manifest:
// run on a copy of the repository's generation inputs and outputs, it fails naming
// persisted-documents.json when the manifest no longer matches clients/operations.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MANIFEST = 'clients/__generated__/persisted-documents.json';
const run = promisify(execFile);

let copies: string[] = [];
afterEach(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  copies = [];
});

/**
 * What check-generated reads: codegen.yml and its inputs, the generated files, the composition code,
 * and the Salesforce project's generated Apex class of operation hashes with its generator.
 */
function copyOfRepository(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'c360-drift-'));
  copies.push(copy);
  for (const entry of [
    'package.json',
    'codegen.yml',
    'schema',
    'scripts/check-generated.ts',
    'clients',
    'subgraphs/salesforce/__generated__',
    'subgraphs/erp/__generated__',
    'salesforce/tools',
    'salesforce/force-app/main/default/classes/C360PersistedOperations.cls',
  ]) {
    cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

async function checkGenerated(copy: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/check-generated.ts'], {
      cwd: copy,
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

// Each case is one codegen run (seconds, tens on a busy two-core machine): an operation edited
// without regenerating, the everyday way the manifest, and the Apex hashes made from it, go stale.
describe('check:generated and the persisted-operation manifest', { timeout: 180_000 }, () => {
  it('catches a stale manifest: an operation changed without `npm run codegen`', async () => {
    const copy = copyOfRepository();
    const file = path.join(copy, 'clients/operations/customer-360.graphql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    industry\n', '    industry\n    website\n'));
    const { code, output } = await checkGenerated(copy);
    expect(code).toBe(1);
    expect(output).toContain(`${MANIFEST}: stale`);
    // The copy is complete: nothing reported missing, so the failure is the drift.
    expect(output).not.toContain(': missing');
  });

  it('catches a stale Apex class of operation hashes: a Salesforce operation changed without `npm run codegen`', async () => {
    const copy = copyOfRepository();
    const file = path.join(copy, 'clients/operations/salesforce-account-360.graphql');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('    erpCustomerNumber\n', '    erpCustomerNumber\n    industry\n'),
    );
    const { code, output } = await checkGenerated(copy);
    expect(code).toBe(1);
    expect(output).toContain(`${MANIFEST}: stale`);
    expect(output).toContain('salesforce/force-app/main/default/classes/C360PersistedOperations.cls: stale');
    expect(output).not.toContain(': missing');
  });
});
