// The gateway's public surface: what the launcher, tests and benchmarks may use.
export { loadGatewayConfig, GatewayConfigError, type GatewayConfig, type SubgraphName } from './config.js';
export { startGateway, GRAPHQL_PATH, type GatewayOptions } from './server.js';
export { CORRELATION_HEADER } from './correlation.js';
