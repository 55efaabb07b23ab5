// Business Central's webhooks for the emulated company: the subscriptions, and the notification job
// (codeunit 6154 "API Webhook Notification Send") that every change of a subscribed entity set
// schedules: it runs `delay` after the first change it has not sent yet (30 seconds online; 1 second
// here by default), deletes expired subscriptions, aggregates the changes (aggregation.ts), sends
// one POST per notification URL with the notifications of every subscription using it, and on
// failure either retries on BC's schedule (after 1, 1, 10, 100 and 1000 minutes; a sixth failure
// deletes the subscriptions) or, when the subscriber rejects them, deletes the subscriptions.
import { EtagCache } from '../etag.js';
import { BcError, recordNotFound } from '../errors.js';
import type { ErpChange } from '../store.js';
import { aggregate, notificationResource, type PendingNotification } from './aggregation.js';
import { handshake, sendNotifications, type SendOutcome } from './http.js';
import { newSubscriptionId, type Subscription, type SubscriptionInput } from './subscriptions.js';

export interface WebhookSettings {
  /** How long the job waits after a change before sending (BC: 30 s). */
  readonly delayMs: number;
  /** Pending notifications per subscription before they become one `collection` (BC: 1,000). */
  readonly collectionThreshold: number;
  /** Wait after the 1st, 2nd, ... failed attempt; one more failure deletes the subscriptions. */
  readonly retryDelaysMs: readonly number[];
  readonly handshakeTimeoutMs: number;
  readonly sendTimeoutMs: number;
  /** A subscription's life without renewal (BC: 3 days). */
  readonly lifetimeMs: number;
  readonly maxSubscriptions: number;
}

export const BUSINESS_CENTRAL_WEBHOOKS: WebhookSettings = {
  delayMs: 30_000,
  collectionThreshold: 1_000,
  retryDelaysMs: [60_000, 60_000, 600_000, 6_000_000, 60_000_000],
  handshakeTimeoutMs: 5_000,
  sendTimeoutMs: 5_000,
  lifetimeMs: 3 * 24 * 3_600_000,
  maxSubscriptions: 200,
};

/** The emulator's defaults: Business Central's, but a 1-second delivery delay so a demo feels live. */
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { ...BUSINESS_CENTRAL_WEBHOOKS, delayMs: 1_000 };

/** Entity sets without a lastModifiedDateTime: a collection notification names them unfiltered. */
const UNTRACKED = new Set(['paymentTerms']);

export interface DeliveryRecord {
  readonly notificationUrl: string;
  readonly at: string;
  readonly notifications: number;
  readonly outcome: SendOutcome['kind'];
  readonly status: number | null;
}

export interface WebhookStats {
  readonly subscriptions: Array<Record<string, unknown>>;
  readonly pending: Record<string, number>;
  readonly deliveries: DeliveryRecord[];
}

const RECENT_DELIVERIES = 100;
/** Timers may fire a millisecond early: a notification due this close to the run is due. */
const TIMER_SLACK_MS = 5;

export class Webhooks {
  readonly etags = new EtagCache();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pending = new Map<string, PendingNotification[]>();
  /** Changes the job has not aggregated yet. */
  private incoming: Array<{ subscriptionId: string; change: ErpChange }> = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly deliveries: DeliveryRecord[] = [];

  constructor(
    private readonly settings: WebhookSettings,
    /** The ERP's clock: change times and expiry (scheduling uses real time). */
    private readonly now: () => Date,
    private readonly userId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  // ------------------------------------------------------------------ subscriptions

  list(): Subscription[] {
    this.deleteExpired();
    return [...this.subscriptions.values()];
  }

  get(subscriptionId: string): Subscription {
    this.deleteExpired();
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw recordNotFound('API Webhook Subscription', `Subscription Id='${subscriptionId}'`);
    return subscription;
  }

  /** POST: created only once the notification URL has answered the handshake. */
  async create(input: SubscriptionInput): Promise<Subscription> {
    this.deleteExpired();
    if (this.subscriptions.size >= this.settings.maxSubscriptions) {
      throw new BcError(
        400,
        'BadRequest',
        `The maximum number of subscriptions (${this.settings.maxSubscriptions}) has been reached.`,
      );
    }
    await this.requireHandshake(input.notificationUrl, 'created');
    const at = this.now();
    const subscription: Subscription = {
      ...input,
      subscriptionId: newSubscriptionId(),
      userId: this.userId,
      expirationDateTime: new Date(at.getTime() + this.settings.lifetimeMs).toISOString(),
      lastModifiedDateTime: at.toISOString(),
      systemCreatedAt: at.toISOString(),
      timestamp: at.getTime(),
    };
    this.subscriptions.set(subscription.subscriptionId, subscription);
    return subscription;
  }

  /** PATCH: renews the subscription for another lifetime, after a new handshake. */
  async renew(current: Subscription, input: SubscriptionInput): Promise<Subscription> {
    await this.requireHandshake(input.notificationUrl, 'renewed');
    if (!this.subscriptions.has(current.subscriptionId))
      throw recordNotFound('API Webhook Subscription', `Subscription Id='${current.subscriptionId}'`);
    const at = this.now();
    const renewed: Subscription = {
      ...current,
      ...input,
      expirationDateTime: new Date(at.getTime() + this.settings.lifetimeMs).toISOString(),
      lastModifiedDateTime: at.toISOString(),
      timestamp: at.getTime(),
    };
    this.subscriptions.set(renewed.subscriptionId, renewed);
    return renewed;
  }

  delete(subscriptionId: string): void {
    this.subscriptions.delete(subscriptionId);
    this.pending.delete(subscriptionId);
    this.incoming = this.incoming.filter((entry) => entry.subscriptionId !== subscriptionId);
  }

  /** Fault injection: subscriptions (all, or one) expire now, as if three days had passed. */
  expire(subscriptionId?: string): number {
    const ids =
      subscriptionId === undefined
        ? [...this.subscriptions.keys()]
        : this.subscriptions.has(subscriptionId)
          ? [subscriptionId]
          : [];
    for (const id of ids) this.delete(id);
    return ids.length;
  }

  private async requireHandshake(notificationUrl: string, what: 'created' | 'renewed'): Promise<void> {
    const failure = await handshake(notificationUrl, this.settings.handshakeTimeoutMs);
    if (failure !== null) {
      throw new BcError(
        400,
        'BadRequest',
        `The subscription was not ${what}: the notificationUrl must answer the handshake (POST with ?validationToken=) with status 200 and the validation token as the body within ${this.settings.handshakeTimeoutMs} ms, but ${failure}.`,
      );
    }
  }

  private deleteExpired(): void {
    const now = this.now().getTime();
    for (const subscription of [...this.subscriptions.values()]) {
      if (Date.parse(subscription.expirationDateTime) < now) this.delete(subscription.subscriptionId);
    }
  }

  // ------------------------------------------------------------------ notifications

  /** A record changed: every live subscription to its entity set gets a notification. */
  notify(change: ErpChange): void {
    if (this.closed) return;
    let queued = false;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.entitySet !== change.set) continue;
      this.incoming.push({ subscriptionId: subscription.subscriptionId, change });
      queued = true;
    }
    if (queued) this.schedule(Date.now() + this.settings.delayMs);
  }

  /** Runs the job now (fault injection: no waiting for the delay). */
  deliverNow(): void {
    this.schedule(Date.now());
  }

  private schedule(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        void this.run();
      },
      Math.max(0, at - Date.now()),
    );
    this.timer.unref();
  }

  /** One run of the job; a run never overlaps another. */
  run(): Promise<void> {
    if (this.running) return this.running.then(() => this.run());
    this.running = this.process()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.running = null;
        this.scheduleNext();
      });
    return this.running;
  }

  private async process(): Promise<void> {
    const startedAt = Date.now() + TIMER_SLACK_MS;
    this.deleteExpired();
    for (const { subscriptionId, change } of this.incoming.splice(0)) {
      if (!this.subscriptions.has(subscriptionId)) continue;
      let list = this.pending.get(subscriptionId);
      if (!list) this.pending.set(subscriptionId, (list = []));
      aggregate(
        list,
        { changeType: change.kind, key: change.id, lastModified: change.lastModifiedDateTime },
        this.settings.collectionThreshold,
      );
    }
    // Every live subscription by notification URL: a URL that rejects loses all of them.
    const byUrl = new Map<string, Subscription[]>();
    for (const subscription of this.subscriptions.values()) {
      const group = byUrl.get(subscription.notificationUrl);
      if (group) group.push(subscription);
      else byUrl.set(subscription.notificationUrl, [subscription]);
    }
    await Promise.all(
      [...byUrl]
        .filter(([, subscriptions]) => subscriptions.some((s) => this.pending.get(s.subscriptionId)?.length))
        .map(([url, subscriptions]) => this.deliver(url, subscriptions, startedAt)),
    );
  }

  private async deliver(notificationUrl: string, subscriptions: Subscription[], startedAt: number): Promise<void> {
    const value = subscriptions.flatMap((subscription) =>
      (this.pending.get(subscription.subscriptionId) ?? []).map((notification) => ({
        subscriptionId: subscription.subscriptionId,
        clientState: subscription.clientState,
        expirationDateTime: subscription.expirationDateTime,
        resource: notificationResource(subscription.resource, notification, !UNTRACKED.has(subscription.entitySet)),
        changeType: notification.changeType,
        lastModifiedDateTime: notification.lastModified,
      })),
    );
    const outcome = await sendNotifications(notificationUrl, { value }, this.settings.sendTimeoutMs);
    this.record({
      notificationUrl,
      at: this.now().toISOString(),
      notifications: value.length,
      outcome: outcome.kind,
      status: outcome.status,
    });
    for (const subscription of subscriptions) {
      if (outcome.kind === 'rejected') {
        this.delete(subscription.subscriptionId);
        continue;
      }
      const list = this.pending.get(subscription.subscriptionId);
      if (!list) continue;
      if (outcome.kind === 'delivered') {
        this.pending.delete(subscription.subscriptionId);
        continue;
      }
      // Only the notifications that were due count an attempt; newer ones just came along.
      for (const notification of list) if (notification.dueAt <= startedAt) notification.attempt += 1;
      if (list.some((notification) => notification.attempt > this.settings.retryDelaysMs.length)) {
        this.delete(subscription.subscriptionId);
        continue;
      }
      for (const notification of list) {
        if (notification.dueAt <= startedAt)
          notification.dueAt = startedAt + this.settings.retryDelaysMs[notification.attempt - 1]!;
      }
    }
  }

  private scheduleNext(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const list of this.pending.values())
      for (const notification of list) next = Math.min(next, notification.dueAt);
    if (this.incoming.length > 0) next = Math.min(next, Date.now() + this.settings.delayMs);
    if (Number.isFinite(next)) this.schedule(next);
  }

  private record(delivery: DeliveryRecord): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > RECENT_DELIVERIES) this.deliveries.shift();
  }

  stats(): WebhookStats {
    const pending: Record<string, number> = {};
    for (const [id, list] of this.pending) pending[id] = list.length;
    return {
      subscriptions: [...this.subscriptions.values()].map((s) => ({ ...s })),
      pending,
      deliveries: [...this.deliveries],
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
