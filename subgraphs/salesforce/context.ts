// The Salesforce subgraph's per-request context: built for every request (never in module scope),
// so loader caches and freshness notes hold one request's data only.
import type { Request, Response } from 'express';
import type { Logger } from '../../lib/logger.js';
import type { ShieldedSalesforce } from '../../shield/index.js';
import type { Identity } from '../../lib/identity.js';
import { callerOf, identityOf } from '../shared/caller.js';
import { FreshnessLedger } from '../shared/freshness.js';
import { requestScope, type RequestScope } from '../shared/request-scope.js';
import type { AccountUpdateDeps } from './account-update.js';
import { createSalesforceLoaders, type SalesforceLoaders } from './loaders.js';

export interface SalesforceContext extends RequestScope {
  /**
   * For the reads that are not lookups by key (listing and counting accounts): behind the shield's
   * resilience policy, not cached.
   */
  readonly connector: ShieldedSalesforce;
  readonly loaders: SalesforceLoaders;
  /** How old each record served in this request is (Account.asOf / stale). */
  readonly freshness: FreshnessLedger;
  /** What updateAccount needs (process-wide: ownership, audit log, invalidation). */
  readonly accountUpdates: AccountUpdateDeps;
  /** The verified caller (role, partner scope), forwarded by the gateway (shared/caller.ts). */
  readonly identity: Identity;
  /** Who is calling (shared/caller.ts), recorded in the audit log. */
  readonly caller: string;
}

export function createSalesforceContext(
  req: Request,
  res: Response,
  deps: { connector: ShieldedSalesforce; logger: Logger; accountUpdates: AccountUpdateDeps },
): SalesforceContext {
  const scope = requestScope(req, res, deps.logger);
  const freshness = new FreshnessLedger(new Date());
  const identity = identityOf(res);
  return {
    ...scope,
    connector: deps.connector,
    // Scoped to the caller: a partner's loaders see only its accounts (shared/partner-scope.ts).
    loaders: createSalesforceLoaders(deps.connector, scope.call, freshness, identity),
    freshness,
    accountUpdates: deps.accountUpdates,
    identity,
    caller: callerOf(res),
  };
}
