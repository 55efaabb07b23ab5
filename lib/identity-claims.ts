// Token claims → Identity: the one place that decides what a set of claims means, shared by the
// gateway (claims of a user's bearer JWT, gateway/auth) and the subgraphs (claims the gateway
// forwarded, lib/identity-forwarding.ts), so both read roles and partner scopes alike.
// `role` (or a `scope` holding exactly one role name; both may be present only when they agree);
// partners carry `partner_id` and `customers` (ERP customer numbers, at most MAX_PARTNER_CUSTOMERS).
import { isRole, MAX_PARTNER_CUSTOMERS, ROLES, type Identity, type PartnerScope, type Role } from './identity.js';

/** Claims that do not make an identity; the message is safe to show the caller (it names claims, never values). */
export class IdentityClaimsError extends Error {
  override readonly name = 'IdentityClaimsError';
}

// Printable ASCII without spaces: ids end up in log lines, cache keys and forwarded headers.
const SUBJECT = /^[\x21-\x7E]{1,255}$/;
const PARTNER_ID = /^[\x21-\x7E]{1,64}$/;
// Business Central's customer "No." is a Code[20] field: at most 20 characters, no lower case is
// enforced by BC, so any printable ASCII without spaces is accepted here.
const CUSTOMER_NUMBER = /^[\x21-\x7E]{1,20}$/;

export interface IdentityClaims {
  readonly sub?: unknown;
  readonly role?: unknown;
  readonly scope?: unknown;
  readonly partner_id?: unknown;
  readonly customers?: unknown;
}

/**
 * The identity these claims describe, vouched for by `issuer`. Throws IdentityClaimsError when the
 * claims are malformed: no subject, no role or an ambiguous one, a partner without its scope, or a
 * partner scope on a role that is not partner (a token meant to be narrow must never be read wide).
 */
export function identityFromClaims(claims: IdentityClaims, issuer: string): Identity {
  if (typeof claims.sub !== 'string' || !SUBJECT.test(claims.sub)) {
    throw new IdentityClaimsError('the "sub" claim must be a non-empty string of printable characters');
  }
  const role = roleOf(claims);
  const hasPartnerClaims = claims.partner_id !== undefined || claims.customers !== undefined;
  if (role !== 'partner') {
    if (hasPartnerClaims)
      throw new IdentityClaimsError(`"partner_id" and "customers" are only allowed for the partner role, not ${role}`);
    return { subject: claims.sub, issuer, role, scopes: [role], partner: null };
  }
  return { subject: claims.sub, issuer, role, scopes: [role], partner: partnerScopeOf(claims) };
}

function roleOf(claims: IdentityClaims): Role {
  // OAuth's `scope` claim (RFC 8693 §4.2): space-separated; other scopes may sit beside the role.
  const scopeRoles = typeof claims.scope === 'string' ? [...new Set(claims.scope.split(' ').filter(isRole))] : [];
  if (scopeRoles.length > 1) {
    throw new IdentityClaimsError(
      `the "scope" claim names more than one role (${scopeRoles.join(', ')}); a caller has exactly one`,
    );
  }
  if (claims.role !== undefined) {
    if (!isRole(claims.role)) throw new IdentityClaimsError(`the "role" claim must be one of ${ROLES.join(', ')}`);
    // `role: sales` beside `scope: partner` says two things; reading either one would be a guess,
    // and reading the wider one would hand a narrow token the wide role's access.
    if (scopeRoles.length === 1 && scopeRoles[0] !== claims.role) {
      throw new IdentityClaimsError(
        `the "role" claim (${claims.role}) and the "scope" claim (${scopeRoles[0]}) name different roles; a caller has exactly one`,
      );
    }
    return claims.role;
  }
  if (scopeRoles.length === 1) return scopeRoles[0]!;
  throw new IdentityClaimsError(
    `the token carries no role: a "role" claim, or a "scope" claim holding one of ${ROLES.join(', ')}`,
  );
}

function partnerScopeOf(claims: IdentityClaims): PartnerScope {
  if (typeof claims.partner_id !== 'string' || !PARTNER_ID.test(claims.partner_id)) {
    throw new IdentityClaimsError(
      'a partner token needs a "partner_id" claim (a non-empty string of printable characters)',
    );
  }
  const customers = claims.customers;
  if (!Array.isArray(customers) || customers.length === 0) {
    throw new IdentityClaimsError(
      'a partner token needs a "customers" claim: a non-empty array of ERP customer numbers',
    );
  }
  if (customers.length > MAX_PARTNER_CUSTOMERS) {
    throw new IdentityClaimsError(`the "customers" claim holds more than ${MAX_PARTNER_CUSTOMERS} customer numbers`);
  }
  if (
    !customers.every((customer): customer is string => typeof customer === 'string' && CUSTOMER_NUMBER.test(customer))
  ) {
    throw new IdentityClaimsError(
      'every entry of the "customers" claim must be an ERP customer number (1 to 20 printable characters)',
    );
  }
  return { id: claims.partner_id, customers: new Set(customers) };
}

/** The claims that describe `identity` (the inverse of identityFromClaims, issuer aside). */
export function claimsOfIdentity(identity: Identity): {
  sub: string;
  role: Role;
  partner_id?: string;
  customers?: string[];
} {
  return {
    sub: identity.subject,
    role: identity.role,
    ...(identity.partner && { partner_id: identity.partner.id, customers: [...identity.partner.customers] }),
  };
}
