// Change Data Capture channels (Change Data Capture Developer Guide, "Subscription Channels"):
// /data/ChangeEvents carries the events of every entity selected for Change Data Capture, and
// /data/<Object>ChangeEvent those of one object. A channel of an entity that is not selected does
// not exist; Change Data Capture needs API version 44.0 or later.

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';
export const MIN_CDC_API_VERSION = 44;

const PER_OBJECT = /^\/data\/([A-Za-z][A-Za-z0-9_]*?)ChangeEvent$/;

export function channelOf(entityName: string): string {
  return `/data/${entityName}ChangeEvent`;
}

/**
 * What a subscription to `channel` receives: every selected entity ('all'), one entity, or null
 * when the channel does not exist (for this API version).
 */
export function channelScope(
  channel: string,
  entities: ReadonlySet<string>,
  apiVersion: number,
): 'all' | string | null {
  if (apiVersion < MIN_CDC_API_VERSION) return null;
  if (channel === ALL_CHANGE_EVENTS) return 'all';
  const m = PER_OBJECT.exec(channel);
  if (!m) return null;
  for (const entity of entities) if (entity === m[1]) return entity;
  return null;
}

/** The channels one entity's event is delivered on. */
export function channelsFor(entityName: string): string[] {
  return [ALL_CHANGE_EVENTS, channelOf(entityName)];
}
