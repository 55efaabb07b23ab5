// `npm run compose`: writes schema/supergraph.graphql from the subgraph SDL files. Exits non-zero
// with the composition errors when the subgraphs do not compose; hints are printed, not fatal.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeSupergraph, SUPERGRAPH_FILE } from './compose-supergraph.js';

const composition = composeSupergraph();
if (!composition.ok) {
  console.error(`Composition failed with ${composition.errors.length} error(s):`);
  for (const error of composition.errors) console.error(`  - ${error}`);
  process.exitCode = 1;
} else {
  for (const hint of composition.hints) console.warn(`hint: ${hint}`);
  writeFileSync(SUPERGRAPH_FILE, composition.supergraph);
  console.log(`Wrote ${fileURLToPath(SUPERGRAPH_FILE)}`);
}
