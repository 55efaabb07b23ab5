// How Business Central turns changes into the notifications of one subscription (codeunit 6154
// "API Webhook Notification Send", GenerateAggregateNotification and its helpers):
// - an update of an entity whose last pending notification is an update is merged into it (only
//   its lastModifiedDateTime moves): many saves of one record in the delay are one notification;
// - once a subscription has as many pending notifications as the threshold (1,000 online), they
//   and every later one become ONE `collection` notification, whose resource is the entity set
//   filtered on `lastModifiedDateTime gt <first change - 50 ms>` — or unfiltered when a deletion is
//   among them, since a deleted record matches no filter;
// - pending notifications that failed to send stay, with their attempt number, and are merged with
//   new ones by the same rules.
import type { RowChangeKind } from '../table.js';

export type NotificationChangeType = RowChangeKind | 'collection';

export interface PendingNotification {
  changeType: NotificationChangeType;
  /** The entity's key; null for a collection. */
  key: string | null;
  /** ISO date-time of the (latest) change. */
  lastModified: string;
  /** Collections: ISO date-time of the first change, null when a deletion forbids a filter. */
  firstModified: string | null;
  /** Failed sending attempts so far. */
  attempt: number;
  /** When it is due again after a failure (ms since the epoch); 0 while never sent. */
  dueAt: number;
}

export interface Change {
  readonly changeType: RowChangeKind;
  readonly key: string;
  readonly lastModified: string;
}

/** Adds one change to a subscription's pending notifications (mutates `pending`). */
export function aggregate(pending: PendingNotification[], change: Change, threshold: number): void {
  const last = pending.at(-1);
  if (last?.changeType === 'collection') {
    last.lastModified = change.lastModified;
    if (change.changeType === 'deleted') last.firstModified = null;
    return;
  }
  if (change.changeType === 'updated') {
    for (let i = pending.length - 1; i >= 0; i--) {
      const previous = pending[i]!;
      if (previous.key !== change.key) continue;
      if (previous.changeType === 'updated') {
        previous.lastModified = change.lastModified;
        return;
      }
      break;
    }
  }
  if (pending.length >= threshold) {
    const first = pending[0]!;
    const hasDeletion = change.changeType === 'deleted' || pending.some((p) => p.changeType === 'deleted');
    const collection: PendingNotification = {
      changeType: 'collection',
      key: null,
      lastModified: change.lastModified,
      firstModified: hasDeletion ? null : first.lastModified,
      attempt: first.attempt,
      dueAt: first.dueAt,
    };
    pending.splice(0, pending.length, collection);
    return;
  }
  pending.push({
    changeType: change.changeType,
    key: change.key,
    lastModified: change.lastModified,
    firstModified: null,
    attempt: 0,
    dueAt: 0,
  });
}

/** The resource a notification names: the entity, or the (filtered) entity set for a collection. */
export function notificationResource(resource: string, notification: PendingNotification, filterable: boolean): string {
  if (notification.changeType !== 'collection') return `${resource}(${notification.key})`;
  if (notification.firstModified === null || !filterable) return resource;
  // 50 ms earlier, as BC does: SQL rounds date-times differently from AL.
  const since = new Date(Date.parse(notification.firstModified) - 50).toISOString();
  return `${resource}?$filter=lastModifiedDateTime%20gt%20${since}`;
}
