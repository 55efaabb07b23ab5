// Webhook subscriptions (api-reference/v2.0 "Working with webhooks", "subscriptions resource type"):
// what a subscription is, how its POST and PATCH bodies are validated, which resources can be
// subscribed to, and its JSON representation. A subscription lives three days unless renewed
// (PATCH), then it is deleted. Its subscriptionId is 32 hex digits and its key in URLs a quoted
// string: subscriptions('c670ea73cacb459bb51dc1740da2f1db').
import { createHash, randomUUID } from 'node:crypto';
import { BcError, badRequest } from '../errors.js';
import { ENTITY_SETS, type EntitySetName } from '../entity-sets.js';

/**
 * Entity sets a subscription may name. Business Central notifies for API pages over real tables
 * with a single key; not for pages over temporary tables, as customerFinancialDetails (computed
 * per request) is.
 */
export const WEBHOOK_RESOURCES: readonly EntitySetName[] = [
  'customers',
  'items',
  'paymentTerms',
  'salesOrders',
  'salesInvoices',
  'salesShipments',
];

/** clientState's maximum length (the create example's "optionalValueOf2048"). */
export const MAX_CLIENT_STATE = 2048;

export interface Subscription {
  readonly subscriptionId: string;
  readonly notificationUrl: string;
  /** As the client gave it (relative or absolute); notifications name entities under it. */
  readonly resource: string;
  readonly companyId: string;
  readonly entitySet: EntitySetName;
  readonly clientState: string;
  readonly userId: string;
  readonly expirationDateTime: string;
  readonly lastModifiedDateTime: string;
  readonly systemCreatedAt: string;
  readonly timestamp: number;
}

export interface SubscriptionInput {
  readonly notificationUrl: string;
  readonly resource: string;
  readonly companyId: string;
  readonly entitySet: EntitySetName;
  readonly clientState: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const WRITABLE = new Set(['notificationUrl', 'resource', 'clientState']);
/** Read-only properties a client may send back (BC's create example sends them all): ignored. */
const READ_ONLY = new Set([
  'subscriptionId',
  'timestamp',
  'userId',
  'lastModifiedDateTime',
  'expirationDateTime',
  'systemCreatedAt',
  'systemCreatedBy',
  'systemModifiedAt',
  'systemModifiedBy',
]);

/** The user id subscriptions are created under: one per app registration, like BC's application user. */
export function applicationUserId(clientId: string): string {
  const hex = createHash('sha1').update(`bc-application-user:${clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function newSubscriptionId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The company and entity set of a subscribed resource: `companies(<id>)/<set>`, optionally after
 * `api/v2.0/`, `/api/v2.0/` or a full URL ending in it.
 */
export function parseResource(resource: string): { companyId: string; entitySet: string } {
  let path = resource.trim();
  const absolute = /^https?:\/\/[^/]+(\/.*)?$/i.exec(path);
  if (absolute) path = absolute[1] ?? '';
  const at = path.indexOf('companies(');
  const prefix = at < 0 ? '' : path.slice(0, at);
  const m = /^companies\((?:id=)?([^()]+)\)\/([A-Za-z]+)$/.exec(at < 0 ? path : path.slice(at));
  if (!m || (prefix !== '' && !/(^|\/)api\/v2\.0\/$/.test(prefix)) || !GUID.test(m[1]!)) {
    throw badRequest(
      `The resource '${resource}' is not valid. A subscription names an entity set of a company: /api/v2.0/companies({id})/{entitySet}.`,
    );
  }
  return { companyId: m[1]!.toLowerCase(), entitySet: m[2]! };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('Invalid Request Body: a JSON object is expected.');
  for (const name of Object.keys(body)) {
    if (name.startsWith('@odata.') || WRITABLE.has(name) || READ_ONLY.has(name)) continue;
    throw badRequest(
      `The property '${name}' does not exist on type 'Microsoft.NAV.subscriptions'. Make sure to only use property names that are defined by the type.`,
    );
  }
  return body as Record<string, unknown>;
}

function notificationUrlOf(value: unknown): string {
  if (typeof value !== 'string')
    throw badRequest("Invalid Request Body: 'notificationUrl' is required: the URL notifications are sent to.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`The notificationUrl '${value}' is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badRequest(`The notificationUrl '${value}' is not an http or https URL.`);
  return value;
}

function clientStateOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string')
    throw badRequest(`Cannot convert the literal '${String(value)}' to the expected type 'Edm.String'.`);
  if (value.length > MAX_CLIENT_STATE) {
    throw new BcError(
      400,
      'Application_StringExceededLength',
      `The length of the string is ${value.length}, but it must be less than or equal to ${MAX_CLIENT_STATE} characters. Value: ${value.slice(0, 50)}...`,
    );
  }
  return value;
}

function resourceOf(
  value: unknown,
  companyId: string,
): Pick<SubscriptionInput, 'resource' | 'companyId' | 'entitySet'> {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest("Invalid Request Body: 'resource' is required: the entity set to be notified about.");
  const parsed = parseResource(value);
  if (parsed.companyId !== companyId.toLowerCase()) {
    throw new BcError(
      404,
      'Internal_CompanyNotFound',
      `Cannot process the request because the company '${parsed.companyId}' cannot be found.`,
    );
  }
  const entitySet = parsed.entitySet as EntitySetName;
  if (!ENTITY_SETS.has(entitySet) || !WEBHOOK_RESOURCES.includes(entitySet)) {
    throw badRequest(
      `The resource '${value}' does not support webhooks. Entity sets that do: ${WEBHOOK_RESOURCES.join(', ')}.`,
    );
  }
  return { resource: value, companyId: parsed.companyId, entitySet };
}

/** A POST body: notificationUrl and resource required, clientState optional. */
export function parseNewSubscription(body: unknown, companyId: string): SubscriptionInput {
  const input = requireObject(body);
  return {
    notificationUrl: notificationUrlOf(input.notificationUrl),
    clientState: clientStateOf(input.clientState),
    ...resourceOf(input.resource, companyId),
  };
}

/** A PATCH body applied to `current`: any of the three writable properties may change. */
export function parseSubscriptionChanges(body: unknown, current: Subscription, companyId: string): SubscriptionInput {
  const input = requireObject(body);
  return {
    notificationUrl:
      input.notificationUrl === undefined ? current.notificationUrl : notificationUrlOf(input.notificationUrl),
    clientState: input.clientState === undefined ? current.clientState : clientStateOf(input.clientState),
    ...(input.resource === undefined
      ? { resource: current.resource, companyId: current.companyId, entitySet: current.entitySet }
      : resourceOf(input.resource, companyId)),
  };
}

/** The JSON representation (without the OData annotations). */
export function subscriptionJson(subscription: Subscription): Record<string, unknown> {
  return {
    subscriptionId: subscription.subscriptionId,
    notificationUrl: subscription.notificationUrl,
    resource: subscription.resource,
    timestamp: subscription.timestamp,
    userId: subscription.userId,
    lastModifiedDateTime: subscription.lastModifiedDateTime,
    clientState: subscription.clientState,
    expirationDateTime: subscription.expirationDateTime,
    systemCreatedAt: subscription.systemCreatedAt,
    systemCreatedBy: subscription.userId,
    systemModifiedAt: subscription.lastModifiedDateTime,
    systemModifiedBy: subscription.userId,
  };
}
