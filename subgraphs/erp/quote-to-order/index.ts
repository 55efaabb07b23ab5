// Quote to order: validateQuote and submitQuote over the ERP port, the Salesforce connector and the
// durable store, plus the sweeper that finishes interrupted submissions and watches for late
// duplicates. One instance per ERP subgraph process (it holds the sweeper's timer); the resolvers
// reach it through the context.
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { ErpPort } from '../../../connectors/erp/port.js';
import type { SalesforceConnector } from '../../../connectors/salesforce/types.js';
import type { Store } from '../../../connectors/store/index.js';
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import { readQuoteFacts } from './facts.js';
import { createQuoteToOrderMetrics } from './metrics.js';
import type { QuoteValidationResult } from './model.js';
import { quoteIdArgument } from './submission-request.js';
import { SubmissionSweeper } from './sweeper.js';
import {
  QuoteSubmitter,
  type CacheInvalidator,
  type StepProbe,
  type SubmitAnswer,
  type SubmitCaller,
  type SubmitTiming,
} from './submit-quote.js';
import { DEFAULT_SUBMITTABLE_STATUSES, SubmittablePolicy } from './submittable.js';
import { evaluateQuote } from './validation.js';

export type { QuoteValidationResult, SubmitOutcome, ReasonCode, SubmitStatus } from './model.js';
export type { CacheInvalidator, StepProbe, SubmitAnswer, SubmitCaller, SubmitStep } from './submit-quote.js';
export { REPLENISHMENT_LEAD_TIME_DAYS } from './validation.js';
export { DEFAULT_SUBMITTABLE_STATUSES } from './submittable.js';

export interface QuoteToOrderOptions extends SubmitTiming {
  readonly sweepIntervalMs: number;
  readonly retentionMs: number;
  /** Salesforce quote statuses that may become ERP orders (QUOTE_SUBMITTABLE_STATUSES). */
  readonly submittableStatuses: readonly string[];
}

/**
 * Business Central answers 504 to an API request still running after 10 minutes (API v2.0 "Current
 * API Limits": request time-out), so it commits nothing later than that after the request arrived:
 * the longest commit delay to expect from it by default (QUOTE_ERP_COMMIT_DELAY_MS).
 */
export const DEFAULT_ERP_COMMIT_DELAY_MS = 600_000;

export const DEFAULT_QUOTE_TO_ORDER_OPTIONS: QuoteToOrderOptions = {
  leaseMs: 30_000,
  // The settle window counts from when we gave up on a create's answer; the service derives it from
  // its configuration (config.ts: ERP_TIMEOUT_MS + QUOTE_ERP_COMMIT_DELAY_MS), this is the same sum
  // for the connector's default timeout.
  settleMs: 10_000 + DEFAULT_ERP_COMMIT_DELAY_MS,
  sweepIntervalMs: 60_000,
  retentionMs: 24 * 3600_000,
  submittableStatuses: DEFAULT_SUBMITTABLE_STATUSES,
};

export interface QuoteToOrderDeps {
  readonly store: Store;
  readonly salesforce: SalesforceConnector;
  /** Writes go here (the shielded port drops the cache entries an order affects). */
  readonly erp: ErpPort;
  /** Fresh reads (the shield's `uncached` port); defaults to `erp`. */
  readonly erpReads?: ErpPort;
  /** The shield's invalidate(kind, keys); a no-op without a shield. */
  readonly invalidate?: CacheInvalidator;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly options?: Partial<QuoteToOrderOptions>;
  /** The service's metrics registry (quote_duplicate_orders_total); none: not counted. */
  readonly metrics?: Registry;
  /** Test seam (see probe.ts). */
  readonly probe?: StepProbe;
}

export interface QuoteToOrder {
  validate(quoteId: unknown, call: CallContext): Promise<QuoteValidationResult>;
  submit(input: { quoteId: unknown; idempotencyKey: unknown }, caller: SubmitCaller): Promise<SubmitAnswer>;
  /**
   * The ERP customer number of the quote's account (an 18-character quote id), read fresh from
   * Salesforce; null when the quote, its account or the number is missing. What a partner's row scope
   * is checked against before validating or submitting (../quote-scope.ts).
   */
  quoteCustomer(quoteId18: string, call: CallContext): Promise<string | null>;
  /** Whether a quote in this status may become an order (Quote.submittable). */
  isSubmittable(status: string | null | undefined): boolean;
  readonly sweeper: SubmissionSweeper;
  /** Starts the sweeper (a first sweep now, then periodically). */
  start(): void;
  stop(): Promise<void>;
}

export function createQuoteToOrder(deps: QuoteToOrderDeps): QuoteToOrder {
  const options = { ...DEFAULT_QUOTE_TO_ORDER_OPTIONS, ...deps.options };
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger.child({ component: 'quote-to-order' });
  const erpReads = deps.erpReads ?? deps.erp;
  const policy = new SubmittablePolicy(options.submittableStatuses);
  const submitter = new QuoteSubmitter({
    store: deps.store,
    salesforce: deps.salesforce,
    erp: deps.erp,
    erpReads,
    invalidate: deps.invalidate ?? (() => undefined),
    clock,
    logger,
    timing: { leaseMs: options.leaseMs, settleMs: options.settleMs },
    policy,
    metrics: createQuoteToOrderMetrics(deps.metrics),
    instanceId: `erp-subgraph-${process.pid}-${randomUUID().slice(0, 8)}`,
    ...(deps.probe ? { probe: deps.probe } : {}),
  });
  const sweeper = new SubmissionSweeper({
    store: deps.store,
    submitter,
    clock,
    logger,
    options: { intervalMs: options.sweepIntervalMs, retentionMs: options.retentionMs },
  });
  return {
    async validate(quoteId, call) {
      const id = quoteIdArgument('quoteId', quoteId);
      return evaluateQuote(
        await readQuoteFacts(id, { salesforce: deps.salesforce, erp: erpReads }, call, clock()),
        policy,
      );
    },
    submit: (input, caller) => submitter.submit(input, caller),
    async quoteCustomer(quoteId18, call) {
      const quote = (await deps.salesforce.quotesByIds([quoteId18], call)).get(quoteId18);
      if (quote === undefined || quote.accountId === null) return null;
      const account = (await deps.salesforce.accountsByIds([quote.accountId], call)).get(quote.accountId);
      return account?.erpCustomerNumber ?? null;
    },
    isSubmittable: (status) => policy.isSubmittable(status),
    sweeper,
    start: () => sweeper.start(),
    stop: () => sweeper.stop(),
  };
}
