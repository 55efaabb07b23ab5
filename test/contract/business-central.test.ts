// The ERP port contract (erp-port-contract.ts) on the Business Central adapter, against the Business
// Central emulator (API v2.0 over OData v4, Business Central's own filter rules).
import { createErpConnector, type BusinessCentralOptions } from '../../connectors/erp/index.js';
import { MAX_KEYS_PER_REQUEST } from '../../connectors/erp/business-central/adapter.js';
import { loadErpEmulatorConfig, startErpEmulator } from '../../emulators/erp/index.js';
import { generateDataset } from '../../emulators/seed/index.js';
import { createLogger } from '../../lib/logger.js';
import { erpPortContract, type ContractFault } from './erp-port-contract.js';

const logger = createLogger('erp-contract-bc', 'silent');
/** Connector set-up, not entity reads (the OAuth token, the company lookup). */
const SETUP_ROUTES = new Set(['token', 'GET companies']);
// Entity sets live under companies({id}); faults there leave the token endpoint alone.
const ENTITY_PATHS = '/api/v2\\.0/companies\\(';

const FAULTS: Record<ContractFault, Record<string, unknown>> = {
  outage: { outage: true },
  'server-error': { status: 503 },
  'rate-limited': { status: 429 },
  slow: { latencyMs: 3000 },
};

erpPortContract('Business Central (emulator)', async () => {
  const dataset = generateDataset({ accounts: 30, seed: 7 }).erp;
  const emulator = await startErpEmulator(loadErpEmulatorConfig({ EMULATOR_ERP_PORT: '0' }), { dataset });
  const options = (overrides: Partial<BusinessCentralOptions> = {}): BusinessCentralOptions => ({
    kind: 'business-central',
    baseUrl: emulator.apiUrl,
    tokenUrl: emulator.tokenUrl,
    clientId: 'customer360-erp-dev',
    clientSecret: 'customer360-erp-dev-secret',
    scope: 'https://api.businesscentral.dynamics.com/.default',
    timeoutMs: 10_000,
    ...overrides,
  });
  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: body === undefined ? 'DELETE' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  };
  return {
    port: createErpConnector(options(), logger),
    expected: dataset,
    maxKeysPerRequest: MAX_KEYS_PER_REQUEST,
    moneyTolerance: '0',
    async requests() {
      const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as {
        byRoute: Record<string, number>;
      };
      return Object.fromEntries(Object.entries(stats.byRoute).filter(([route]) => !SETUP_ROUTES.has(route)));
    },
    resetRequests: () => post('/__emulator/stats'),
    fault: (fault) => post('/__emulator/faults', fault ? { ...FAULTS[fault], pathPattern: ENTITY_PATHS } : {}),
    adapterWith: ({ wrongPassword, timeoutMs }) =>
      createErpConnector(
        options({ ...(wrongPassword ? { clientSecret: 'wrong' } : {}), ...(timeoutMs ? { timeoutMs } : {}) }),
        logger,
      ),
    close: () => emulator.close(),
  };
});
