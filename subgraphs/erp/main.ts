// Runs the ERP subgraph on its own: `node --import tsx subgraphs/erp/main.ts`.
import { runUntilSignalled } from '../shared/run-until-signalled.js';
import { loadErpSubgraphConfig } from './config.js';
import { startErpSubgraph } from './index.js';

await runUntilSignalled('ERP subgraph', async () => startErpSubgraph(loadErpSubgraphConfig()));
