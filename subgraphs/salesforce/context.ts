// The Salesforce subgraph's per-request context: built for every request (never in module scope),
// so loader caches hold one request's data only.
import type { Request, Response } from 'express';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import type { Logger } from '../../lib/logger.js';
import { requestScope, type RequestScope } from '../shared/request-scope.js';
import { createSalesforceLoaders, type SalesforceLoaders } from './loaders.js';

export interface SalesforceContext extends RequestScope {
  /** For the reads that are not lookups by key (listing and counting accounts). */
  readonly connector: SalesforceConnector;
  readonly loaders: SalesforceLoaders;
}

export function createSalesforceContext(
  req: Request,
  res: Response,
  deps: { connector: SalesforceConnector; logger: Logger },
): SalesforceContext {
  const scope = requestScope(req, res, deps.logger);
  return { ...scope, connector: deps.connector, loaders: createSalesforceLoaders(deps.connector, scope.call) };
}
