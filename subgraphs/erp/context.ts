// The ERP subgraph's per-request context: built for every request (never in module scope), so loader
// caches hold one request's data only.
import type { Request, Response } from 'express';
import type { ErpPort } from '../../connectors/erp/port.js';
import type { Logger } from '../../lib/logger.js';
import { requestScope, type RequestScope } from '../shared/request-scope.js';
import { utcDate } from './dates.js';
import { createErpLoaders, type ErpLoaders } from './loaders.js';

export type Clock = () => Date;

export interface ErpContext extends RequestScope {
  readonly loaders: ErpLoaders;
  /** The UTC calendar date (YYYY-MM-DD) invoices are aged against; one value per request. */
  readonly today: string;
}

export function createErpContext(req: Request, res: Response, deps: { erp: ErpPort; logger: Logger; clock: Clock }): ErpContext {
  const scope = requestScope(req, res, deps.logger);
  return { ...scope, loaders: createErpLoaders(deps.erp, scope.call), today: utcDate(deps.clock()) };
}
