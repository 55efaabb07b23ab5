// Runs the Salesforce subgraph on its own: `node --import tsx subgraphs/salesforce/main.ts`.
import { startSalesforceSubgraph } from './index.js';
import { loadSalesforceSubgraphConfig } from './config.js';
import { runUntilSignalled } from '../shared/run-until-signalled.js';

// As a service of its own it opens its store (updateAccount's audit log) right away, in the background.
await runUntilSignalled('Salesforce subgraph', async () =>
  startSalesforceSubgraph(loadSalesforceSubgraphConfig(), { openStoreAtStart: true }),
);
