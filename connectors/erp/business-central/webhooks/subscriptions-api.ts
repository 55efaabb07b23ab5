// Business Central's webhook subscriptions resource (api-reference/v2.0 "subscriptions"): list,
// create (BC calls the notificationUrl with ?validationToken= before it answers), renew (PATCH with
// If-Match: a new handshake and three more days) and delete. Subscriptions are the tenant's: the
// resource lives at the API root, its key a quoted string.
import { z } from 'zod';
import type { CallContext } from '../../../../lib/call-context.js';
import type { BusinessCentralClient } from '../client.js';
import { decodeRows } from '../mappers.js';
import { invalidResponse } from '../errors.js';

const Subscription = z.object({
  '@odata.etag': z.string().optional(),
  subscriptionId: z.string().min(1),
  notificationUrl: z.string(),
  resource: z.string(),
  clientState: z.string().nullable().optional(),
  expirationDateTime: z.string(),
});

export interface BcSubscription {
  readonly subscriptionId: string;
  readonly notificationUrl: string;
  readonly resource: string;
  readonly clientState: string;
  readonly expirationDateTime: string;
  /** For If-Match on renewal and deletion ('*' when BC sent none). */
  readonly etag: string;
}

export interface SubscriptionRequest {
  readonly notificationUrl: string;
  readonly resource: string;
  readonly clientState: string;
}

function toSubscription(row: z.infer<typeof Subscription>): BcSubscription {
  return {
    subscriptionId: row.subscriptionId,
    notificationUrl: row.notificationUrl,
    resource: row.resource,
    clientState: row.clientState ?? '',
    expirationDateTime: row.expirationDateTime,
    etag: row['@odata.etag'] ?? '*',
  };
}

function one(body: unknown, operation: string): BcSubscription {
  return decodeRows(Subscription, [body], toSubscription, operation)[0]!;
}

const key = (subscriptionId: string) => `/subscriptions('${encodeURIComponent(subscriptionId.replace(/'/g, "''"))}')`;

export class SubscriptionsApi {
  constructor(private readonly client: BusinessCentralClient) {}

  async list(ctx: CallContext): Promise<BcSubscription[]> {
    const operation = 'list subscriptions';
    const body = (await this.client.request('GET', '/subscriptions', undefined, ctx, operation)) as
      { value?: unknown } | undefined;
    if (!body || !Array.isArray(body.value)) throw invalidResponse(operation, 'collection response has no value array');
    return decodeRows(Subscription, body.value, toSubscription, operation);
  }

  /** BC answers only after the notification endpoint has passed the handshake. */
  async create(request: SubscriptionRequest, ctx: CallContext): Promise<BcSubscription> {
    return one(
      await this.client.request('POST', '/subscriptions', request, ctx, 'create subscription'),
      'create subscription',
    );
  }

  /** Renews for another lifetime (after a new handshake), with the given properties. */
  async renew(subscription: BcSubscription, request: SubscriptionRequest, ctx: CallContext): Promise<BcSubscription> {
    const operation = 'renew subscription';
    return one(
      await this.client.request('PATCH', key(subscription.subscriptionId), request, ctx, operation, {
        'If-Match': subscription.etag,
      }),
      operation,
    );
  }

  async delete(subscription: BcSubscription, ctx: CallContext): Promise<void> {
    await this.client.request('DELETE', key(subscription.subscriptionId), undefined, ctx, 'delete subscription', {
      'If-Match': subscription.etag,
    });
  }
}
