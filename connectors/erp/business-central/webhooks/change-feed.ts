// Business Central's change feed (ErpPort.changeFeed): one webhook subscription per entity set,
// kept alive. start() looks at the tenant's subscriptions, reuses ours (same notificationUrl and
// resource), renews or creates what is missing; then a check every `checkIntervalMs` renews each
// subscription well before its three days run out and re-creates any that Business Central deleted
// (expired, or after its endpoint failed too often), reporting a `collection` notice for that set:
// whatever changed while it was gone was not notified.
import { BackendError } from '../../../../lib/backend-error.js';
import type { CallContext } from '../../../../lib/call-context.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ErpChangeFeed, ErpChangeFeedEvent, ErpChangeFeedOptions, ErpScanSet } from '../../port.js';
import type { BusinessCentralClient } from '../client.js';
import { createNotificationHandler } from './notifications.js';
import { SubscriptionsApi, type BcSubscription, type SubscriptionRequest } from './subscriptions-api.js';

/** The entity sets Business Central sends webhooks for (customerFinancialDetails is computed: it has none). */
export const WEBHOOK_SETS: readonly ErpScanSet[] = [
  'customers',
  'items',
  'paymentTerms',
  'salesOrders',
  'salesInvoices',
  'salesShipments',
];

const DEFAULT_CHECK_INTERVAL_MS = 60_000;
/** Renew a day before expiry (or at half the lifetime, for short-lived test subscriptions). */
const DEFAULT_RENEW_BEFORE_MS = 24 * 3_600_000;
/** A clientState is a shared secret: long enough not to be guessed. */
const MIN_CLIENT_STATE_LENGTH = 16;

interface Held {
  subscription: BcSubscription;
  /** Lifetime the ERP gave it (expiry minus the time it was created or renewed). */
  lifetimeMs: number;
}

export function createBusinessCentralChangeFeed(
  client: BusinessCentralClient,
  options: ErpChangeFeedOptions,
  logger: Logger,
): ErpChangeFeed {
  if (options.clientState.length < MIN_CLIENT_STATE_LENGTH) {
    throw new RangeError(
      `The change feed's clientState is a shared secret: at least ${MIN_CLIENT_STATE_LENGTH} characters`,
    );
  }
  const log = logger.child({ component: 'erp-change-feed' });
  const api = new SubscriptionsApi(client);
  const sets = WEBHOOK_SETS.filter((set) => options.sets.includes(set));
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  const held = new Map<ErpScanSet, Held>();
  /** Sets that had a subscription once: losing it means changes may have been missed. */
  const everHeld = new Set<ErpScanSet>();
  let timer: NodeJS.Timeout | null = null;
  let checking: Promise<void> | null = null;
  let stopped = false;
  let companyPath: string | null = null;

  const emit = (event: ErpChangeFeedEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      log.error({ err: error }, 'change feed event listener failed');
    }
  };

  const handler = createNotificationHandler({
    clientState: options.clientState,
    sets,
    onNotices: (notices, skipped) => {
      if (skipped.length > 0) log.warn({ skipped }, 'ERP notifications that could not be read');
      if (notices.length > 0) options.onChanges(notices);
    },
    onRefused: (reason, status) => {
      log.warn({ reason, status }, 'ERP notification refused');
      emit({ kind: 'notification-refused', reason, status });
    },
  });

  function requestFor(set: ErpScanSet): SubscriptionRequest {
    return {
      notificationUrl: options.notificationUrl,
      resource: `${companyPath}/${set}`,
      clientState: options.clientState,
    };
  }

  function hold(set: ErpScanSet, subscription: BcSubscription): Held {
    const lifetimeMs = Math.max(0, Date.parse(subscription.expirationDateTime) - Date.now());
    const entry = { subscription, lifetimeMs };
    held.set(set, entry);
    everHeld.add(set);
    return entry;
  }

  function dueForRenewal(entry: Held): boolean {
    const left = Date.parse(entry.subscription.expirationDateTime) - Date.now();
    return left < Math.min(renewBeforeMs, entry.lifetimeMs / 2);
  }

  async function create(set: ErpScanSet, ctx: CallContext): Promise<void> {
    const lost = everHeld.has(set);
    const entry = hold(set, await api.create(requestFor(set), ctx));
    emit({ kind: lost ? 'recreated' : 'subscribed', set, expiresAt: entry.subscription.expirationDateTime });
    if (lost) {
      log.warn({ set }, 'ERP subscription was lost and re-created: changes meanwhile were not notified');
      options.onChanges([{ set, kind: 'collection', modifiedSince: null, changedAt: new Date().toISOString() }]);
    }
  }

  async function renew(set: ErpScanSet, entry: Held, ctx: CallContext): Promise<void> {
    const renewed = hold(set, await api.renew(entry.subscription, requestFor(set), ctx));
    emit({ kind: 'renewed', set, expiresAt: renewed.subscription.expirationDateTime });
  }

  /** One pass: find ours among the tenant's subscriptions, renew what is due, create what is missing. */
  async function check(ctx: CallContext): Promise<void> {
    companyPath ??= await client.companyPath(ctx, 'change feed');
    const existing = await api.list(ctx);
    for (const set of sets) {
      if (stopped) return;
      const wanted = requestFor(set);
      const ours = existing.find((s) => s.notificationUrl === wanted.notificationUrl && s.resource === wanted.resource);
      try {
        if (!ours) {
          held.delete(set);
          await create(set, ctx);
          continue;
        }
        const entry =
          held.get(set)?.subscription.subscriptionId === ours.subscriptionId
            ? { ...held.get(set)!, subscription: ours }
            : hold(set, ours);
        // A subscription left with another secret (a rotated clientState) is renewed with ours.
        if (ours.clientState !== options.clientState || dueForRenewal(entry)) await renew(set, entry, ctx);
      } catch (error) {
        // A renewal of a subscription deleted meanwhile answers 404: the next pass re-creates it.
        const failure = error instanceof Error ? error : new Error(String(error));
        log.warn({ set, err: failure }, 'ERP subscription could not be created or renewed');
        emit({ kind: 'subscription-failed', set, error: failure });
      }
    }
  }

  function runCheck(ctx: CallContext): Promise<void> {
    checking ??= check(ctx)
      .catch((error: unknown) => {
        const failure = error instanceof BackendError ? error : new Error(String(error));
        log.warn({ err: failure }, 'ERP subscriptions could not be checked');
        for (const set of sets) emit({ kind: 'subscription-failed', set, error: failure });
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  return {
    sets,
    handler,
    async start(ctx) {
      stopped = false;
      await runCheck(ctx);
      if (stopped || timer) return;
      timer = setInterval(() => void runCheck({ correlationId: `change-feed-${Date.now()}` }), checkIntervalMs);
      timer.unref();
    },
    async stop(stopOptions = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await checking;
      if (!stopOptions.unsubscribe) return;
      const ctx = { correlationId: `change-feed-stop-${Date.now()}` };
      await Promise.all(
        [...held.values()].map((entry) =>
          api
            .delete(entry.subscription, ctx)
            .catch((error: unknown) => log.warn({ err: error }, 'ERP subscription could not be deleted')),
        ),
      );
      held.clear();
    },
  };
}
