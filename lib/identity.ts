// Who is calling: the identity the gateway verified from a bearer JWT (gateway/auth) and forwards to
// the subgraphs, signed (lib/identity-forwarding.ts). DESIGN.md "Access": roles sales, service,
// finance, partner, integration; a partner carries the ERP customer numbers it may see.
// Per request only: built from the request, never kept in module scope.

export const ROLES = ['sales', 'service', 'finance', 'partner', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface PartnerScope {
  /** The partner's id (token claim `partner_id`), e.g. P-NORTHWIND. */
  readonly id: string;
  /** The ERP customer numbers (Account.erpCustomerNumber) this partner may see; nothing else. */
  readonly customers: ReadonlySet<string>;
}

export interface Identity {
  /** The token's subject (`sub`). */
  readonly subject: string;
  /** The issuer that vouched for it (`iss`). */
  readonly issuer: string;
  readonly role: Role;
  /**
   * What @requiresScopes is checked against (schema/access.ts): the role is the one scope a caller
   * holds, the same string Apollo Router would read from the token's `scope` claim.
   */
  readonly scopes: readonly string[];
  /** Present exactly when role is partner. */
  readonly partner: PartnerScope | null;
}

/** At most this many customer numbers in one partner scope (keeps tokens and forwarded headers small). */
export const MAX_PARTNER_CUSTOMERS = 1000;

/**
 * Whether the caller may see rows of this ERP customer. Every role but partner sees every customer;
 * a partner sees only its own, and never a row without a customer number.
 */
export function canSeeCustomer(identity: Identity, customerNumber: string | null | undefined): boolean {
  if (identity.partner === null) return true;
  return typeof customerNumber === 'string' && identity.partner.customers.has(customerNumber);
}

/**
 * The string idempotency keys are scoped to and the audit log records (DESIGN.md "Idempotency": the
 * key is scoped to the caller): issuer and subject, so two issuers' subjects never collide.
 */
export function callerKey(identity: Identity): string {
  return `${identity.issuer}|${identity.subject}`;
}
