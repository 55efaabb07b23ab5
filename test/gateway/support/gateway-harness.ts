// Boots the real gateway in-process against two stub subgraphs (port 0 everywhere). The gateway
// uses its embedded default's development issuer, its key in a temporary DATA_DIR; graphql() sends
// a development token (role integration, which may read everything) unless the test sends its own
// Authorization header.
import { mintDevToken, type DevTokenRequest } from '../../../gateway/auth/dev-issuer.js';
import { loadGatewayConfig, startGateway, type GatewayOptions } from '../../../gateway/index.js';
import type { RunningServer } from '../../../lib/http-server.js';
import { createTempDir } from '../../support/temp-dir.js';
import { composeSupergraphFile, startStubSubgraph, type StubSubgraph } from './stub-subgraphs.js';

export interface Harness {
  readonly gateway: RunningServer;
  readonly salesforce: StubSubgraph;
  readonly erp: StubSubgraph;
  /** The gateway's DATA_DIR (development issuer key, forwarding key). */
  readonly dataDir: string;
  /** `Authorization: Bearer <development token>` (role integration), for tests that fetch the gateway themselves. */
  readonly authHeaders: Record<string, string>;
  /** A development token the gateway accepts. */
  token(claims?: Omit<DevTokenRequest, 'dataDir'>): Promise<string>;
  /** POSTs a GraphQL operation to the gateway (with a development token unless `headers` has an authorization). */
  graphql(
    body: { query: string; variables?: Record<string, unknown> },
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
}

export const SUBGRAPH_TIMEOUT_MS = 300;

export async function startHarness(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<Harness> {
  const [salesforce, erp] = await Promise.all([startStubSubgraph('salesforce'), startStubSubgraph('erp')]);
  const dataDir = createTempDir('gateway-harness');
  const token = (claims: Omit<DevTokenRequest, 'dataDir'> = { role: 'integration' }) =>
    mintDevToken({ ...claims, dataDir: dataDir.path });
  const gateway = await startGateway(
    loadGatewayConfig({
      GATEWAY_PORT: '0',
      SUBGRAPH_SALESFORCE_URL: salesforce.graphqlUrl,
      SUBGRAPH_ERP_URL: erp.graphqlUrl,
      SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
      SUPERGRAPH_PATH: composeSupergraphFile(),
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir.path,
      ...env,
    }),
    options,
  );
  const defaultToken = await token();
  return {
    gateway,
    salesforce,
    erp,
    dataDir: dataDir.path,
    authHeaders: { authorization: `Bearer ${defaultToken}` },
    token,
    graphql: (body, headers = {}) =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${defaultToken}`, ...headers },
        body: JSON.stringify(body),
      }),
    close: async () => {
      await gateway.close();
      await Promise.all([salesforce.close(), erp.close()]);
      dataDir.remove();
    },
  };
}
