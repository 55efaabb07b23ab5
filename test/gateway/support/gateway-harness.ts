// Boots the real gateway in-process against two stub subgraphs (port 0 everywhere).
import { loadGatewayConfig, startGateway } from '../../../gateway/index.js';
import type { RunningServer } from '../../../lib/http-server.js';
import { composeSupergraphFile, startStubSubgraph, type StubSubgraph } from './stub-subgraphs.js';

export interface Harness {
  readonly gateway: RunningServer;
  readonly salesforce: StubSubgraph;
  readonly erp: StubSubgraph;
  /** POSTs a GraphQL operation to the gateway. */
  graphql(body: { query: string; variables?: Record<string, unknown> }, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export const SUBGRAPH_TIMEOUT_MS = 300;

export async function startHarness(): Promise<Harness> {
  const [salesforce, erp] = await Promise.all([startStubSubgraph('salesforce'), startStubSubgraph('erp')]);
  const gateway = await startGateway(
    loadGatewayConfig({
      GATEWAY_PORT: '0',
      SUBGRAPH_SALESFORCE_URL: salesforce.graphqlUrl,
      SUBGRAPH_ERP_URL: erp.graphqlUrl,
      SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
      SUPERGRAPH_PATH: composeSupergraphFile(),
      LOG_LEVEL: 'silent',
    }),
  );
  return {
    gateway,
    salesforce,
    erp,
    graphql: (body, headers = {}) =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    close: async () => {
      await gateway.close();
      await Promise.all([salesforce.close(), erp.close()]);
    },
  };
}
