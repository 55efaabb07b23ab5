// Identities for tests: forwarded-identity headers (bound to a subgraph and a body) for tests
// that call a subgraph directly (the gateway signs them in production), a fixed forwarding secret
// for subgraphs started by tests, and a token issuer of the test's own (static key pair) for
// AUTH_ISSUERS. Gateway tests on the in-process stack use its token() instead.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import {
  bindForwardedIdentity,
  IDENTITY_BINDING_HEADER,
  IDENTITY_HEADER,
  signForwardedIdentity,
} from '../../lib/identity-forwarding.js';
import type { Identity, Role } from '../../lib/identity.js';

/** The forwarding secret of subgraphs started in tests (IDENTITY_FORWARDING_SECRET; ≥ 32 characters). */
export const TEST_FORWARDING_SECRET = 'test-forwarding-secret-0123456789abcdef';
/** Merge into a subgraph's (or the gateway's) config environment. */
export const TEST_FORWARDING_ENV = { IDENTITY_FORWARDING_SECRET: TEST_FORWARDING_SECRET } as const;

export const TEST_ISSUER = 'urn:customer360:test';

/** A verified identity as the gateway would forward it; integration by default (it may do everything). */
export function testIdentity(
  role: Role = 'integration',
  partner?: { id: string; customers: readonly string[] },
  subject = `test-${role}`,
): Identity {
  return {
    subject,
    issuer: TEST_ISSUER,
    role,
    scopes: [role],
    partner: role === 'partner' && partner ? { id: partner.id, customers: new Set(partner.customers) } : null,
  };
}

/** A subgraph request as the gateway sends it: the subgraph it goes to and its exact body. */
export interface SubgraphRequest {
  readonly subgraph: 'salesforce' | 'erp';
  readonly body: string;
}

/** The x-c360-identity and x-c360-identity-binding headers the gateway would send with `request` for `identity`. */
export async function forwardedIdentityHeaders(
  request: SubgraphRequest,
  identity: Identity = testIdentity(),
  secret: string | Uint8Array = TEST_FORWARDING_SECRET,
): Promise<Record<string, string>> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const header = await signForwardedIdentity(identity, request.subgraph, key);
  return { [IDENTITY_HEADER]: header, [IDENTITY_BINDING_HEADER]: bindForwardedIdentity(header, request, key) };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export type TestAlgorithm = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly alg: TestAlgorithm;
  /** PEM SPKI of the public key (AUTH_ISSUERS publicKeys). */
  readonly publicKeyPem: string;
  /** The public key as a JWKS (served from a jwksUrl, or given as publicKeys). */
  readonly jwks: { keys: JWK[] };
  /**
   * Signs `claims` (sub, role, … as given) with this issuer's iss and aud unless `claims` sets them;
   * exp one hour from now unless given (seconds since the epoch); `header` adds protected header fields.
   */
  sign(claims: Record<string, unknown>, options?: { header?: Record<string, unknown> }): Promise<string>;
  /** AUTH_ISSUERS entry with static keys (publicKeys: [PEM]) or, given a URL, jwksUrl. */
  entry(jwksUrl?: string): Record<string, unknown>;
}

export async function createTestIssuer(
  options: { issuer?: string; audience?: string; alg?: TestAlgorithm; kid?: string } = {},
): Promise<TestIssuer> {
  const alg = options.alg ?? 'ES256';
  const issuer = options.issuer ?? 'https://idp.test.example/';
  const audience = options.audience ?? 'customer360-graph';
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicKeyPem = await exportSPKI(publicKey);
  const jwk = { ...(await exportJWK(publicKey)), ...(options.kid !== undefined && { kid: options.kid }) };
  return {
    issuer,
    audience,
    alg,
    publicKeyPem,
    jwks: { keys: [jwk] },
    async sign(claims, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: issuer, aud: audience, iat: now, exp: now + 3600, ...claims };
      return new SignJWT(payload)
        .setProtectedHeader({
          alg,
          typ: 'JWT',
          ...(options.kid !== undefined && { kid: options.kid }),
          ...signOptions.header,
        } as { alg: string })
        .sign(privateKey);
    },
    entry(jwksUrl) {
      return jwksUrl !== undefined ? { issuer, audience, jwksUrl } : { issuer, audience, publicKeys: [publicKeyPem] };
    },
  };
}
