// The ERP subgraph's per-request context: built for every request (never in module scope), so loader
// caches and freshness notes hold one request's data only.
import type { Request, Response } from 'express';
import type { Logger } from '../../lib/logger.js';
import type { ShieldedErp } from '../../shield/index.js';
import type { Identity } from '../../lib/identity.js';
import { callerOf, identityOf } from '../shared/caller.js';
import { FreshnessLedger } from '../shared/freshness.js';
import { requestScope, type RequestScope } from '../shared/request-scope.js';
import { utcDate } from './dates.js';
import { createErpLoaders, type ErpLoaders } from './loaders.js';
import type { QuoteToOrder } from './quote-to-order/index.js';

export type Clock = () => Date;

export interface ErpContext extends RequestScope {
  readonly loaders: ErpLoaders;
  /** The shielded ERP, for row queries (resolvers/rows.ts); lookups by key go through the loaders. */
  readonly erp: ShieldedErp;
  /** How old each record served in this request is (the types' asOf / stale). */
  readonly freshness: FreshnessLedger;
  /** The UTC calendar date (YYYY-MM-DD) invoices are aged against; one value per request. */
  readonly today: string;
  /** validateQuote and submitQuote (process-wide: it holds the store and the sweeper). */
  readonly quoteToOrder: QuoteToOrder;
  /** The verified caller (role, partner scope), forwarded by the gateway (shared/caller.ts). */
  readonly identity: Identity;
  /** The caller idempotency keys are scoped to (shared/caller.ts). */
  readonly caller: string;
}

export function createErpContext(
  req: Request,
  res: Response,
  deps: { erp: ShieldedErp; logger: Logger; clock: Clock; quoteToOrder: QuoteToOrder },
): ErpContext {
  const scope = requestScope(req, res, deps.logger);
  const now = deps.clock();
  const freshness = new FreshnessLedger(now);
  const identity = identityOf(res);
  return {
    ...scope,
    // Scoped to the caller: a partner's loaders see only its customers' rows (shared/partner-scope.ts).
    loaders: createErpLoaders(deps.erp, scope.call, freshness, identity),
    erp: deps.erp,
    freshness,
    today: utcDate(now),
    quoteToOrder: deps.quoteToOrder,
    identity,
    caller: callerOf(res),
  };
}
