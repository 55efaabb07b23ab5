// AUTH_ISSUERS and AUTH_CLOCK_SKEW_S as gateway/config.ts reads them: which token issuers the
// gateway trusts, for which audiences, with which keys. Keys are checked here, at start, so a
// mistyped key is a configuration error naming the issuer rather than a 401 for every caller.
//
// AUTH_ISSUERS is a JSON array of
//   { "issuer": "https://idp.example.com/", "audience": "customer360-graph" | [...],
//     "jwksUrl": "https://idp.example.com/.well-known/jwks.json" }
// or the same with "publicKeys": ["-----BEGIN PUBLIC KEY-----…"] (PEM SPKI) or a JWKS ({"keys": [...]})
// instead of jwksUrl.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';
import { z } from 'zod';
import { fetchableUrl } from '../../lib/fetch-ports.js';

export type IssuerKeys =
  /** Fetched (and cached, refetched on an unknown kid) by jose's createRemoteJWKSet. */
  | { readonly kind: 'jwks-url'; readonly url: string }
  /** Public keys given in the configuration, as a JWKS. */
  | { readonly kind: 'static'; readonly jwks: JSONWebKeySet };

export interface TrustedIssuer {
  /** The exact `iss` its tokens carry. */
  readonly issuer: string;
  /** A token must name at least one of these in `aud`. */
  readonly audiences: readonly string[];
  readonly keys: IssuerKeys;
}

export interface AuthConfig {
  /** AUTH_ISSUERS; empty exactly when the development issuer is used instead. */
  readonly issuers: readonly TrustedIssuer[];
  /**
   * The embedded default (AUTH_ISSUERS unset, NODE_ENV not production): trust the development
   * issuer whose key lives in DATA_DIR (gateway/auth/dev-issuer.ts), and only it.
   */
  readonly devIssuer: boolean;
  /** Leeway for exp and nbf (AUTH_CLOCK_SKEW_S). */
  readonly clockSkewS: number;
}

// Loopback JWKS URLs may be plain http (a local identity provider, tests); anywhere else a key set
// fetched without TLS would let anyone on the path sign tokens.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const jwksUrlSchema = fetchableUrl(z.string()).refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    } catch {
      return false;
    }
  },
  { message: 'must be an https URL (http only on loopback)' },
);

const jwkSchema = z.looseObject({ kty: z.string() });

const issuerSchema = z
  .strictObject({
    issuer: z.string().min(1, 'must not be empty'),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
      error: 'must be a non-empty string or array of strings',
    }),
    jwksUrl: jwksUrlSchema.optional(),
    publicKeys: z
      .union([z.string(), z.array(z.string()).min(1), z.strictObject({ keys: z.array(jwkSchema).min(1) })], {
        error: 'must be PEM public keys (a string or an array of strings) or a JWKS ({"keys": [...]})',
      })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.jwksUrl === undefined) === (entry.publicKeys === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "jwksUrl" and "publicKeys"' });
    }
  })
  .transform((entry, ctx): TrustedIssuer => {
    const audiences = typeof entry.audience === 'string' ? [entry.audience] : entry.audience;
    if (entry.jwksUrl !== undefined)
      return { issuer: entry.issuer, audiences, keys: { kind: 'jwks-url', url: entry.jwksUrl } };
    const keys: JWK[] = [];
    const given = entry.publicKeys!;
    const members = typeof given === 'string' ? [given] : Array.isArray(given) ? given : given.keys;
    members.forEach((member, index) => {
      try {
        keys.push(typeof member === 'string' ? jwkFromPem(member) : publicJwk(member as JWK));
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['publicKeys', index], message: (error as Error).message });
      }
    });
    return { issuer: entry.issuer, audiences, keys: { kind: 'static', jwks: { keys } } };
  });

export const authIssuersSchema = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be a JSON array of issuers (${(error as Error).message})` });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(issuerSchema, { error: 'must be a JSON array of issuers' })
      .min(1, 'must name at least one issuer')
      .superRefine((issuers, ctx) => {
        const seen = new Set<string>();
        issuers.forEach((entry, index) => {
          if (seen.has(entry.issuer))
            ctx.addIssue({ code: 'custom', path: [index, 'issuer'], message: `${entry.issuer} is listed twice` });
          seen.add(entry.issuer);
        });
      }),
  );

// Beyond five minutes, skew stops being clock drift and starts extending every token's life.
export const clockSkewSchema = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be an integer')
  .min(0, 'must be 0..300')
  .max(300, 'must be 0..300')
  .default(30);

/** Key types the allowed algorithms (authenticator.ts) can use: RS256/PS256, ES256, EdDSA. */
function checkUsable(key: KeyObject): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new Error('RSA keys must have at least 2048 bits');
  } else if (type === 'ec') {
    if (details.namedCurve !== 'prime256v1') throw new Error('EC keys must be on P-256 (ES256)');
  } else if (type !== 'ed25519') {
    throw new Error(`unsupported key type ${String(type)} (use RSA, EC P-256 or Ed25519)`);
  }
}

function jwkFromPem(pem: string): JWK {
  // A private key would also yield a public key; refusing it keeps private keys out of configuration.
  if (!/^-----BEGIN PUBLIC KEY-----/.test(pem.trim()))
    throw new Error('must be a PEM SPKI public key (-----BEGIN PUBLIC KEY-----)');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('is not a readable PEM public key');
  }
  checkUsable(key);
  return key.export({ format: 'jwk' }) as JWK;
}

function publicJwk(jwk: JWK): JWK {
  if ('d' in jwk || 'p' in jwk || 'k' in jwk)
    throw new Error('must be a public key (it holds private or secret members)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    throw new Error('is not a readable public JWK');
  }
  checkUsable(key);
  return jwk;
}
