// Runs the ERP subgraph on its own: `node --import tsx subgraphs/erp/main.ts`.
import { runUntilSignalled } from '../shared/run-until-signalled.js';
import { loadErpSubgraphConfig } from './config.js';
import { startErpSubgraph } from './index.js';

// As a service of its own it opens its store right away (in the background): the first submitQuote
// should not wait for an embedded store to be created.
await runUntilSignalled('ERP subgraph', async () =>
  startErpSubgraph(loadErpSubgraphConfig(), { openStoreAtStart: true }),
);
