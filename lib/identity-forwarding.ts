// The verified identity on its way from the gateway to the subgraphs (DESIGN.md "Access"): the
// gateway verifies the caller's bearer token, then signs what it learned (role, subject, original
// issuer, partner scope) as a short-lived HS256 JWS in the x-c360-identity header of every subgraph
// request. Subgraphs trust only this header (subgraphs/shared/identity-middleware.ts), so calling
// a subgraph directly, without the forwarding key, is no way around the gateway's checks.
import { errors, jwtVerify, SignJWT } from 'jose';
import { claimsOfIdentity, identityFromClaims, IdentityClaimsError } from './identity-claims.js';
import type { Identity } from './identity.js';

export const IDENTITY_HEADER = 'x-c360-identity';
export const FORWARDING_ISSUER = 'customer360-gateway';
export const FORWARDING_AUDIENCE = 'customer360-subgraphs';
/**
 * Long enough for the slowest operation (the gateway's subgraph deadline is at most 10 minutes,
 * but it signs once per client request and subgraph calls start within the request), short enough
 * that a header lifted from a log is soon worthless.
 */
export const FORWARDED_IDENTITY_LIFETIME_S = 300;
// Gateway and subgraphs may run on different hosts whose clocks drift a little.
const CLOCK_TOLERANCE_S = 30;
const ALGORITHM = 'HS256';
/** The claim holding the issuer of the caller's own token (`iss` is the gateway's). */
const ORIGINAL_ISSUER_CLAIM = 'c360_iss';

export class ForwardedIdentityError extends Error {
  override readonly name = 'ForwardedIdentityError';
}

export async function signForwardedIdentity(identity: Identity, key: Uint8Array, now: Date = new Date()): Promise<string> {
  const { sub, ...claims } = claimsOfIdentity(identity);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims, [ORIGINAL_ISSUER_CLAIM]: identity.issuer })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(FORWARDING_ISSUER)
    .setAudience(FORWARDING_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + FORWARDED_IDENTITY_LIFETIME_S)
    .sign(key);
}

/** The identity a forwarded header carries; throws ForwardedIdentityError when it is not a valid one. */
export async function verifyForwardedIdentity(token: string, key: Uint8Array): Promise<Identity> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: FORWARDING_ISSUER,
      audience: FORWARDING_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'iat', 'exp'],
      // Also refuses a header minted with a far-off expiry.
      maxTokenAge: FORWARDED_IDENTITY_LIFETIME_S + CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new ForwardedIdentityError('the forwarded identity has expired');
    if (error instanceof errors.JOSEError) throw new ForwardedIdentityError(`the forwarded identity is not valid (${error.code})`);
    throw error;
  }
  const originalIssuer = payload[ORIGINAL_ISSUER_CLAIM];
  if (typeof originalIssuer !== 'string' || originalIssuer.length === 0) {
    throw new ForwardedIdentityError(`the forwarded identity has no "${ORIGINAL_ISSUER_CLAIM}" claim`);
  }
  try {
    return identityFromClaims(payload, originalIssuer);
  } catch (error) {
    if (error instanceof IdentityClaimsError) throw new ForwardedIdentityError(`the forwarded identity's claims are invalid: ${error.message}`);
    throw error;
  }
}
