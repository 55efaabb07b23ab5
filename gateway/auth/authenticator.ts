// Bearer-token authentication (issue 5, item 1): the JWT in `Authorization: Bearer …` is verified
// with jose against the trusted issuers (gateway/auth/issuer-config.ts, or the development issuer
// of the embedded default) and turned into an Identity. The GraphQL middleware (middleware.ts) and
// the OData bridge (gateway/odata) both call authenticate(req) and answer failures in their own
// formats.
import type { IncomingHttpHeaders } from 'node:http';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { IdentityClaimsError, identityFromClaims } from '../../lib/identity-claims.js';
import type { Identity } from '../../lib/identity.js';
import { AuthError } from './auth-error.js';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerPublicJwks } from './dev-issuer.js';
import type { AuthConfig, TrustedIssuer } from './issuer-config.js';

/**
 * Asymmetric algorithms only: `none` proves nothing, and an HS* token would be verified with a key
 * the gateway shares with the issuer, which anyone holding it could then mint tokens with.
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export interface Authenticator {
  /** The verified identity of the request's bearer token; throws AuthError when there is none. */
  authenticate(req: { readonly headers: IncomingHttpHeaders }): Promise<Identity>;
  /** The same check for a token already taken from its request. */
  verifyToken(token: string): Promise<Identity>;
}

interface IssuerVerifier {
  readonly issuer: TrustedIssuer;
  readonly getKey: JWTVerifyGetKey;
}

// RFC 6750 §2.1: the scheme is case-insensitive; b64token characters only.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export async function createAuthenticator(
  config: AuthConfig,
  options: { readonly dataDir: string },
): Promise<Authenticator> {
  const issuers: TrustedIssuer[] = [...config.issuers];
  if (config.devIssuer) {
    // Created here when missing, so `npm run token` and the gateway agree from the first start.
    issuers.push({
      issuer: DEV_ISSUER,
      audiences: [DEV_AUDIENCE],
      keys: { kind: 'static', jwks: await devIssuerPublicJwks(options.dataDir) },
    });
  }
  const verifiers = new Map<string, IssuerVerifier>(
    issuers.map((issuer) => [
      issuer.issuer,
      {
        issuer,
        // jose caches a remote key set (10 minutes), refetches it on an unknown kid at most every
        // 30 s, and gives up on a fetch after 5 s.
        getKey:
          issuer.keys.kind === 'jwks-url'
            ? createRemoteJWKSet(new URL(issuer.keys.url))
            : createLocalJWKSet(issuer.keys.jwks),
      },
    ]),
  );

  async function verifyToken(token: string): Promise<Identity> {
    let algorithm: unknown;
    let payload: JWTPayload;
    try {
      algorithm = decodeProtectedHeader(token).alg;
      payload = decodeJwt(token);
    } catch {
      throw new AuthError('malformed');
    }
    if (!(ALLOWED_ALGORITHMS as readonly unknown[]).includes(algorithm)) throw new AuthError('unsupported_algorithm');
    // The unverified `iss` only picks the keys; the signature and every claim are checked below.
    const verifier = typeof payload.iss === 'string' ? verifiers.get(payload.iss) : undefined;
    if (!verifier) throw new AuthError('wrong_issuer');

    let verified: JWTPayload;
    try {
      verified = await verifyWithKeySet(token, verifier.getKey, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: verifier.issuer.issuer,
        audience: [...verifier.issuer.audiences],
        clockTolerance: config.clockSkewS,
        requiredClaims: ['exp', 'sub'],
      });
    } catch (error) {
      throw authErrorOf(error);
    }
    try {
      return identityFromClaims(verified, verifier.issuer.issuer);
    } catch (error) {
      if (error instanceof IdentityClaimsError) throw new AuthError('bad_claims', error.message);
      throw error;
    }
  }

  return {
    verifyToken,
    async authenticate(req) {
      const header = req.headers.authorization;
      if (header === undefined || !/^Bearer(\s|$)/i.test(header)) throw new AuthError('missing');
      const match = BEARER.exec(header);
      if (!match) throw new AuthError('malformed');
      return verifyToken(match[1]!);
    },
  };
}

/**
 * jwtVerify with a key set; a token without `kid` may match several keys of a set (static PEM keys
 * have none in the token), in which case each is tried, as jose's JWKSMultipleMatchingKeys intends.
 */
async function verifyWithKeySet(
  token: string,
  getKey: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function authErrorOf(error: unknown): AuthError | unknown {
  if (error instanceof errors.JWTExpired) return new AuthError('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return new AuthError('wrong_audience');
      case 'iss':
        return new AuthError('wrong_issuer');
      case 'nbf':
        return new AuthError('not_yet_valid');
      default:
        return new AuthError('bad_claims', `the "${error.claim}" claim is missing or invalid`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return new AuthError('bad_signature');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new AuthError('unsupported_algorithm');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new AuthError('malformed');
  // The remote key set: a timeout, a non-200 answer, not a key set, or no connection (fetch's TypeError).
  if (error instanceof errors.JOSEError || (error instanceof TypeError && error.message === 'fetch failed')) {
    return new AuthError('issuer_unavailable', undefined, { cause: error });
  }
  return error;
}
