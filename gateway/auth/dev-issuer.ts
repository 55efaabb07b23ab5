// The embedded default's development issuer (notes/contracts.md "Identity on the wire"): with no
// AUTH_ISSUERS outside production, the gateway trusts tokens signed by an ES256 key kept in
// `${DATA_DIR}/auth/dev-issuer.jwk.json`, created on first use by whoever needs it first (the
// gateway at start, or `npm run token`). mintDevToken signs such tokens for scripts/token.ts, the
// in-process stack's token(), and the development token GraphiQL and the console prefill.
import { join, resolve } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { IdentityClaimsError, identityFromClaims, type IdentityClaims } from '../../lib/identity-claims.js';
import { readOrCreateSecretFile } from '../../lib/secret-file.js';
import { DEV_PARTNERS } from './dev-partners.js';

export const DEV_ISSUER = 'urn:customer360:dev';
export const DEV_AUDIENCE = 'customer360-graph';
export const DEV_ALGORITHM = 'ES256';
export const DEV_TOKEN_DEFAULT_EXPIRY = '1h';
/** Development tokens live at most this long (a forgotten token should die on its own). */
export const DEV_TOKEN_MAX_LIFETIME_S = 30 * 24 * 3600;

export function devIssuerKeyFile(dataDir: string): string {
  return join(resolve(dataDir), 'auth', 'dev-issuer.jwk.json');
}

interface DevIssuerKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

async function createPrivateJwk(): Promise<string> {
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return `${JSON.stringify({ ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' }, null, 2)}\n`;
}

function parsePrivateJwk(content: string): DevIssuerKey {
  const jwk = JSON.parse(content) as JWK;
  if (
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.d !== 'string' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    throw new Error('expected a private EC P-256 JWK');
  }
  const { kty, crv, x, y, kid } = jwk;
  return {
    privateJwk: jwk,
    publicJwk: { kty, crv, x, y, ...(kid !== undefined && { kid }), alg: DEV_ALGORITHM, use: 'sig' },
  };
}

function loadDevIssuerKey(dataDir: string): Promise<DevIssuerKey> {
  return readOrCreateSecretFile(devIssuerKeyFile(dataDir), createPrivateJwk, parsePrivateJwk);
}

/** The development issuer's public key set (the key is created when it does not exist yet). */
export async function devIssuerPublicJwks(dataDir: string): Promise<JSONWebKeySet> {
  return { keys: [(await loadDevIssuerKey(dataDir)).publicJwk] };
}

export interface DevTokenRequest {
  /** The gateway's DATA_DIR (its config's dataDir): where the development key lives. */
  readonly dataDir: string;
  /** One of ROLES. */
  readonly role: string;
  /** `sub`; default dev-<role> (dev-partner-<partner id> for partners). */
  readonly subject?: string;
  /** Partners only: the partner id; with no `customers`, a DEV_PARTNERS entry supplies them. */
  readonly partnerId?: string;
  /** Partners only: the ERP customer numbers the token may see. */
  readonly customers?: readonly string[];
  /** Lifetime: seconds, or a number with s, m, h or d (default 1h, at most 30 days). */
  readonly expiresIn?: string | number;
}

/** A request mintDevToken refuses; the message says what to change. */
export class DevTokenError extends Error {
  override readonly name = 'DevTokenError';
}

/** A bearer token of the development issuer, valid for the gateway's embedded default. */
export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  const lifetimeS = lifetimeSeconds(request.expiresIn ?? DEV_TOKEN_DEFAULT_EXPIRY);
  const claims = devClaims(request);
  try {
    // The same reading the gateway applies, so a minted token is never one the gateway refuses.
    identityFromClaims(claims, DEV_ISSUER);
  } catch (error) {
    if (error instanceof IdentityClaimsError) throw new DevTokenError(error.message);
    throw error;
  }
  const key = await loadDevIssuerKey(request.dataDir);
  const now = Math.floor(Date.now() / 1000);
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({
      alg: DEV_ALGORITHM,
      typ: 'JWT',
      ...(key.publicJwk.kid !== undefined && { kid: key.publicJwk.kid }),
    })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(String(sub))
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeS)
    .sign(await importJWK(key.privateJwk, DEV_ALGORITHM));
}

function devClaims(request: DevTokenRequest): IdentityClaims & { sub: string } {
  const customers =
    request.customers ?? (request.partnerId !== undefined ? DEV_PARTNERS[request.partnerId] : undefined);
  if (request.partnerId !== undefined && customers === undefined) {
    throw new DevTokenError(
      `${request.partnerId} is not a demo partner (${Object.keys(DEV_PARTNERS).join(', ')}); name its customers`,
    );
  }
  const defaultSubject = request.partnerId !== undefined ? `dev-partner-${request.partnerId}` : `dev-${request.role}`;
  return {
    sub: request.subject ?? defaultSubject,
    role: request.role,
    ...(request.partnerId !== undefined && { partner_id: request.partnerId }),
    ...(customers !== undefined && { customers: [...customers] }),
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function lifetimeSeconds(expiresIn: string | number): number {
  let seconds: number;
  if (typeof expiresIn === 'number') {
    seconds = expiresIn;
  } else {
    const match = /^(\d+)([smhd]?)$/.exec(expiresIn.trim());
    if (!match) throw new DevTokenError(`expiry "${expiresIn}" is not a duration such as 3600, 30m, 1h or 7d`);
    seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  }
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > DEV_TOKEN_MAX_LIFETIME_S) {
    throw new DevTokenError(`expiry must be between 1 second and 30 days`);
  }
  return seconds;
}
