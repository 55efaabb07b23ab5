// Why a request was not authenticated. Every reason answers 401 UNAUTHENTICATED; the reason goes to
// the log and to the WWW-Authenticate header (RFC 6750 §3), the message to the client. Messages
// say what is wrong with the token, never what a valid one would hold beyond the public contract.

export type AuthFailureReason =
  /** No Authorization header, or one without the Bearer scheme. */
  | 'missing'
  /** Not a compact JWS/JWT. */
  | 'malformed'
  /** An algorithm outside the allowlist (none, HS*, …). */
  | 'unsupported_algorithm'
  | 'bad_signature'
  /** `iss` names no trusted issuer. */
  | 'wrong_issuer'
  | 'wrong_audience'
  /** Past `exp`, beyond the allowed clock skew. */
  | 'expired'
  /** Before `nbf`, beyond the allowed clock skew. */
  | 'not_yet_valid'
  /** Signed and current, but the claims make no identity (role, partner scope, subject). */
  | 'bad_claims'
  /** The issuer's key set could not be fetched: the token could not be checked. */
  | 'issuer_unavailable';

const MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'Authentication required: send a bearer token (Authorization: Bearer <token>).',
  malformed: 'The bearer token is not a well-formed JWT.',
  unsupported_algorithm:
    'The bearer token is signed with an algorithm that is not accepted (RS256, PS256, ES256, EdDSA are).',
  bad_signature: "The bearer token's signature does not verify.",
  wrong_issuer: "The bearer token's issuer is not trusted.",
  wrong_audience: 'The bearer token is not meant for this API (audience).',
  expired: 'The bearer token has expired.',
  not_yet_valid: 'The bearer token is not valid yet.',
  bad_claims: "The bearer token's claims are not valid",
  issuer_unavailable: "The bearer token's issuer keys could not be fetched; try again later.",
};

export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    readonly reason: AuthFailureReason,
    /** For bad_claims: which claim is wrong (safe to show, see lib/identity-claims.ts). */
    detail?: string,
    /** What went wrong underneath (logged, never sent). */
    options?: ErrorOptions,
  ) {
    super(detail ? `${MESSAGES[reason]}: ${detail}.` : MESSAGES[reason], options);
  }
}
