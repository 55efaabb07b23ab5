// The ERP port contract (erp-port-contract.ts) on the Tryton adapter, against a real Tryton 6.0
// server (Debian's packages) seeded with the demo's second company, through a counting JSON-RPC
// proxy that also plays the faults.
import { createErpConnector, type TrytonOptions } from '../../connectors/erp/index.js';
import { MAX_KEYS_PER_REQUEST } from '../../connectors/erp/tryton/adapter.js';
import { createLogger } from '../../lib/logger.js';
import { SETUP_METHODS, type ProxyFault } from '../../tryton/rpc-proxy.js';
import { erpPortContract, type ContractFault } from './erp-port-contract.js';
import { startTestTryton, TRYTON_SETUP_TIMEOUT_MS } from './support/tryton.js';

const logger = createLogger('erp-contract-tryton', 'silent');

const FAULTS: Record<ContractFault, ProxyFault> = {
  outage: { kind: 'drop' },
  'server-error': { kind: 'status', status: 503 },
  'rate-limited': { kind: 'status', status: 429 },
  slow: { kind: 'delay', ms: 3000 },
};

erpPortContract(
  'Tryton 6.0 (real server)',
  async () => {
    const server = await startTestTryton();
    const { tryton, proxy } = server;
    const options = (overrides: Partial<TrytonOptions> = {}): TrytonOptions => ({
      kind: 'tryton',
      url: proxy.url,
      database: tryton.database,
      username: tryton.username,
      password: tryton.password,
      timeoutMs: 20_000,
      ...overrides,
    });
    return {
      port: createErpConnector(options(), logger),
      expected: tryton.prepared.seedData.erp,
      maxKeysPerRequest: MAX_KEYS_PER_REQUEST,
      // Tryton rounds tax half to even, the seed half up.
      moneyTolerance: '0.01',
      async requests() {
        return Object.fromEntries(
          Object.entries(proxy.stats().byMethod).filter(([method]) => !SETUP_METHODS.includes(method)),
        );
      },
      resetRequests: async () => proxy.reset(),
      fault: async (fault) => proxy.setFault(fault ? { ...FAULTS[fault], methods: undefined } : null),
      adapterWith: ({ wrongPassword, timeoutMs }) =>
        createErpConnector(
          options({ ...(wrongPassword ? { password: 'not-the-password' } : {}), ...(timeoutMs ? { timeoutMs } : {}) }),
          logger,
        ),
      close: () => server.close(),
    };
  },
  TRYTON_SETUP_TIMEOUT_MS,
);
