// `npm run check:generated` (CI): fails when a committed generated file differs from what its
// generator produces now — everything codegen.yml generates (the resolver types, the clients' typed
// operations and their persisted-operation manifest), the Salesforce project's Apex class of
// persisted-operation hashes (made from that manifest) and schema/supergraph.graphql. All are
// generated in memory and compared with the files on disk, so it works on a fresh clone, touches
// nothing, and needs no git.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadContext } from '@graphql-codegen/cli';
import { composeSupergraph, SUPERGRAPH_FILE } from '../schema/compose-supergraph.js';
import {
  APEX_OPERATIONS_FILE,
  apexOperationsClass,
  PERSISTED_MANIFEST_FILE,
} from '../salesforce/tools/persisted-operations-apex.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  // codegen.yml's paths are relative to the repository root.
  process.chdir(ROOT);
  const problems: string[] = [];
  const expected = new Map<string, string>();

  const context = await loadContext(path.join(ROOT, 'codegen.yml'));
  context.updateConfig({ silent: true });
  for (const output of await generate(context, false))
    expected.set(path.resolve(ROOT, output.filename), output.content);
  // From the freshly generated manifest, so an operation added without `npm run codegen` fails both.
  const manifest = expected.get(path.resolve(ROOT, PERSISTED_MANIFEST_FILE));
  if (manifest === undefined) problems.push(`${PERSISTED_MANIFEST_FILE}: codegen.yml no longer generates it`);
  else expected.set(path.resolve(ROOT, APEX_OPERATIONS_FILE), apexOperationsClass(manifest));

  const composition = composeSupergraph();
  if (composition.ok) expected.set(fileURLToPath(SUPERGRAPH_FILE), composition.supergraph);
  else
    problems.push(`schema/supergraph.graphql: the subgraphs do not compose:\n    ${composition.errors.join('\n    ')}`);

  for (const [file, content] of expected) {
    const committed = readOrNull(file);
    const name = path.relative(ROOT, file);
    if (committed === null) problems.push(`${name}: missing`);
    else if (committed !== content) problems.push(`${name}: stale (differs from a fresh generation)`);
  }

  if (problems.length > 0) {
    console.error('Generated files are out of date:');
    for (const problem of problems) console.error(`  - ${problem}`);
    console.error('Run `npm run codegen && npm run compose` and commit the result.');
    return 1;
  }
  console.log(`Generated files are up to date (${expected.size} checked).`);
  return 0;
}

process.exitCode = await main();
