// Authentication: bearer JWTs verified against configured issuers (static public keys and a JWKS
// URL), audience and expiry checked with bounded clock skew, an algorithm allowlist, claims turned
// into an identity; every failure is 401 UNAUTHENTICATED with a WWW-Authenticate challenge and no
// stack. Health endpoints stay open, and the verified identity reaches the subgraphs signed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyForwardedIdentity } from '../../lib/identity-forwarding.js';
import { MAX_PARTNER_CUSTOMERS } from '../../lib/identity.js';
import { startHarness, type Harness } from '../gateway/support/gateway-harness.js';
import { bearer, createTestIssuer, TEST_FORWARDING_SECRET, type TestIssuer } from '../support/identity.js';

const QUERY = '{ accountByErpNumber(erpCustomerNumber: "C00001") { name } }';
const SKEW_S = 30;
const now = () => Math.floor(Date.now() / 1000);

let harness: Harness;
let staticIssuer: TestIssuer;
let jwksIssuer: TestIssuer;
let edIssuer: TestIssuer;
let psIssuer: TestIssuer;
let impostor: TestIssuer;
let jwksServer: http.Server;
let jwksRequests = 0;

beforeAll(async () => {
  staticIssuer = await createTestIssuer({ issuer: 'https://static.idp.test/', alg: 'ES256' });
  jwksIssuer = await createTestIssuer({
    issuer: 'https://jwks.idp.test/',
    audience: 'c360-api',
    alg: 'RS256',
    kid: 'rsa-1',
  });
  edIssuer = await createTestIssuer({ issuer: 'https://ed.idp.test/', alg: 'EdDSA' });
  psIssuer = await createTestIssuer({ issuer: 'https://ps.idp.test/', alg: 'PS256' });
  // Same issuer name and audience as staticIssuer, another key: what a forger would sign with.
  impostor = await createTestIssuer({ issuer: staticIssuer.issuer, alg: 'ES256' });

  jwksServer = http.createServer((req, res) => {
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksIssuer.jwks));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

  harness = await startHarness({
    AUTH_ISSUERS: JSON.stringify([
      staticIssuer.entry(),
      jwksIssuer.entry(jwksUrl),
      // A JWKS given inline (publicKeys as a key set rather than PEM strings).
      { issuer: edIssuer.issuer, audience: [edIssuer.audience, 'other'], publicKeys: edIssuer.jwks },
      psIssuer.entry(),
    ]),
    AUTH_CLOCK_SKEW_S: String(SKEW_S),
    IDENTITY_FORWARDING_SECRET: TEST_FORWARDING_SECRET,
  });
});
afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const post = (headers: Record<string, string>) => harness.graphql({ query: QUERY }, headers);

async function expectUnauthenticated(response: Response, reason: string): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="customer360-graph"/);
  expect(response.headers.get('x-correlation-id')).toBeTruthy();
  const body = JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] };
  expect(body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] });
  expect(text).not.toMatch(/\bat \S+:\d+|node_modules|Error:/);
}

async function expectAccepted(response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(JSON.parse(text)).toEqual({ data: { accountByErpNumber: { name: 'Acme Gears' } } });
}

describe('accepted tokens', () => {
  it('a static PEM key issuer (ES256)', async () => {
    await expectAccepted(await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales' }))));
  });

  it('a JWKS URL issuer (RS256 with kid), fetched from the issuer and cached', async () => {
    await expectAccepted(await post(bearer(await jwksIssuer.sign({ sub: 'bob', role: 'finance' }))));
    const fetched = jwksRequests;
    expect(fetched).toBeGreaterThanOrEqual(1);
    await expectAccepted(await post(bearer(await jwksIssuer.sign({ sub: 'bob', role: 'finance' }))));
    expect(jwksRequests).toBe(fetched);
  });

  it('an inline JWKS issuer (EdDSA) with several audiences, and PS256', async () => {
    await expectAccepted(await post(bearer(await edIssuer.sign({ sub: 'carol', role: 'service', aud: 'other' }))));
    await expectAccepted(await post(bearer(await psIssuer.sign({ sub: 'dave', role: 'integration' }))));
  });

  it('a role in the scope claim, beside other scopes', async () => {
    await expectAccepted(await post(bearer(await staticIssuer.sign({ sub: 'erin', scope: 'openid profile sales' }))));
  });

  it('a token expired less than the clock skew ago', async () => {
    await expectAccepted(await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', exp: now() - 10 }))));
  });

  it('the scheme in any case', async () => {
    await expectAccepted(
      await post({ authorization: `bearer ${await staticIssuer.sign({ sub: 'alice', role: 'sales' })}` }),
    );
  });
});

describe('refused with 401 UNAUTHENTICATED', () => {
  it('no token', async () => {
    const response = await post({ authorization: '' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="customer360-graph"');
    await expectUnauthenticated(response, 'missing');
  });

  it('another scheme', async () => {
    await expectUnauthenticated(await post({ authorization: 'Basic dXNlcjpwYXNz' }), 'missing');
  });

  it('a malformed token', async () => {
    const response = await post({ authorization: 'Bearer not-a-jwt' });
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="[^"]+"/);
    await expectUnauthenticated(response, 'malformed');
    await expectUnauthenticated(await post({ authorization: 'Bearer a.b.c' }), 'malformed');
  });

  it('a bad signature: the right issuer and audience, another key', async () => {
    await expectUnauthenticated(
      await post(bearer(await impostor.sign({ sub: 'mallory', role: 'finance' }))),
      'bad_signature',
    );
  });

  it('a payload changed after signing', async () => {
    const [header, , signature] = (
      await staticIssuer.sign({ sub: 'mallory', role: 'partner', partner_id: 'P-1', customers: ['C00001'] })
    ).split('.');
    const payload = Buffer.from(
      JSON.stringify({
        iss: staticIssuer.issuer,
        aud: staticIssuer.audience,
        sub: 'mallory',
        role: 'finance',
        exp: now() + 600,
      }),
    ).toString('base64url');
    await expectUnauthenticated(await post(bearer(`${header}.${payload}.${signature}`)), 'bad_signature');
  });

  it('a wrong issuer', async () => {
    const stranger = await createTestIssuer({ issuer: 'https://stranger.test/' });
    await expectUnauthenticated(
      await post(bearer(await stranger.sign({ sub: 'alice', role: 'sales' }))),
      'wrong_issuer',
    );
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', iss: undefined }))),
      'wrong_issuer',
    );
  });

  it('a wrong audience', async () => {
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', aud: 'another-api' }))),
      'wrong_audience',
    );
    // The JWKS issuer accepts c360-api only, not the default audience.
    await expectUnauthenticated(
      await post(bearer(await jwksIssuer.sign({ sub: 'alice', role: 'sales', aud: 'customer360-graph' }))),
      'wrong_audience',
    );
  });

  it('a token expired longer ago than the clock skew', async () => {
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', exp: now() - SKEW_S - 30 }))),
      'expired',
    );
  });

  it('a token not valid yet (nbf beyond the skew), and one without exp', async () => {
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', nbf: now() + SKEW_S + 60 }))),
      'not_yet_valid',
    );
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', exp: undefined }))),
      'bad_claims',
    );
  });

  it('an algorithm outside the allowlist: none, and HS256 keyed with the public key (algorithm confusion)', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      iss: staticIssuer.issuer,
      aud: staticIssuer.audience,
      sub: 'mallory',
      role: 'finance',
      exp: now() + 600,
    };
    await expectUnauthenticated(
      await post(bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`)),
      'unsupported_algorithm',
    );
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(staticIssuer.publicKeyPem));
    await expectUnauthenticated(await post(bearer(hs256)), 'unsupported_algorithm');
  });

  it('a key of another type than the token says (ES256 key set, RS256 token)', async () => {
    const rsa = await createTestIssuer({ issuer: staticIssuer.issuer, alg: 'RS256' });
    await expectUnauthenticated(await post(bearer(await rsa.sign({ sub: 'mallory', role: 'sales' }))), 'bad_signature');
  });

  it('a role claim and a scope naming another role (contradictory: neither is read)', async () => {
    const contradictory = await post(
      bearer(await staticIssuer.sign({ sub: 'mallory', role: 'sales', scope: 'openid partner' })),
    );
    expect(((await contradictory.clone().json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /"role" claim \(sales\) and the "scope" claim \(partner\) name different roles/,
    );
    await expectUnauthenticated(contradictory, 'bad_claims');
    const partnerScoped = { partner_id: 'P-1', customers: ['C00001'] };
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'p1', role: 'partner', scope: 'sales', ...partnerScoped }))),
      'bad_claims',
    );
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', scope: 'sales finance' }))),
      'bad_claims',
    );
    // Agreeing claims, or a scope naming no role at all, are fine.
    await expectAccepted(
      await post(bearer(await staticIssuer.sign({ sub: 'erin', role: 'sales', scope: 'openid sales' }))),
    );
    await expectAccepted(
      await post(bearer(await staticIssuer.sign({ sub: 'erin', role: 'sales', scope: 'openid profile' }))),
    );
  });

  it('a partner without customers, with an empty list, with too many, or without partner_id', async () => {
    const partner = (claims: Record<string, unknown>) => staticIssuer.sign({ sub: 'p1', role: 'partner', ...claims });
    await expectUnauthenticated(await post(bearer(await partner({ partner_id: 'P-1' }))), 'bad_claims');
    await expectUnauthenticated(await post(bearer(await partner({ partner_id: 'P-1', customers: [] }))), 'bad_claims');
    await expectUnauthenticated(
      await post(bearer(await partner({ partner_id: 'P-1', customers: 'C00001' }))),
      'bad_claims',
    );
    const tooMany = Array.from({ length: MAX_PARTNER_CUSTOMERS + 1 }, (_, i) => `C${i}`);
    await expectUnauthenticated(
      await post(bearer(await partner({ partner_id: 'P-1', customers: tooMany }))),
      'bad_claims',
    );
    await expectUnauthenticated(await post(bearer(await partner({ customers: ['C00001'] }))), 'bad_claims');
  });

  it('an unknown role, no role, two roles in scope, or a partner scope on another role', async () => {
    const response = await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'admin' })));
    expect(((await response.clone().json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /"role" claim must be one of/,
    );
    await expectUnauthenticated(response, 'bad_claims');
    await expectUnauthenticated(await post(bearer(await staticIssuer.sign({ sub: 'alice' }))), 'bad_claims');
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', scope: 'sales finance' }))),
      'bad_claims',
    );
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ sub: 'alice', role: 'sales', customers: ['C00001'] }))),
      'bad_claims',
    );
    await expectUnauthenticated(
      await post(bearer(await staticIssuer.sign({ role: 'sales', sub: undefined }))),
      'bad_claims',
    );
  });

  it('GET /graphql with a query and no token', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    await expectUnauthenticated(response, 'missing');
  });

  it('a JWKS issuer whose key set cannot be fetched', async () => {
    const unreachable = await createTestIssuer({ issuer: 'https://down.idp.test/', alg: 'ES256' });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const other = await startHarness({
      AUTH_ISSUERS: JSON.stringify([unreachable.entry(`http://127.0.0.1:${port}/jwks.json`)]),
    });
    try {
      await expectUnauthenticated(
        await other.graphql({ query: QUERY }, bearer(await unreachable.sign({ sub: 'a', role: 'sales' }))),
        'issuer_unavailable',
      );
    } finally {
      await other.close();
    }
  });
});

describe('what stays open', () => {
  it('/healthz, /readyz and /metrics answer without a token', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${harness.gateway.url}${path}`);
      expect(response.status, path).toBe(200);
      await response.body?.cancel();
    }
  });

  it('the GraphiQL page answers a browser without a token', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    await response.body?.cancel();
  });
});

describe('identity forwarding', () => {
  it('sends each subgraph the verified identity, signed with the forwarding key; a client cannot send its own', async () => {
    harness.salesforce.identityHeaders.length = 0;
    // (A partner's scope travels the same way: lib/identity-forwarding is tested with one in forwarding.test.ts;
    // partners may run only persisted operations at the gateway, so an ad-hoc query would not get this far.)
    const token = await staticIssuer.sign({ sub: 'pat', role: 'finance' });
    const forged = 'eyJhbGciOiJub25lIn0.eyJyb2xlIjoiZmluYW5jZSJ9.';
    const response = await harness.graphql(
      { query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { erpCustomerNumber } }' },
      {
        ...bearer(token),
        'x-c360-identity': forged,
      },
    );
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const headers = harness.salesforce.identityHeaders;
    expect(headers).toHaveLength(1);
    expect(headers[0]).not.toBe(forged);
    const identity = await verifyForwardedIdentity(
      headers[0]!,
      'salesforce',
      new TextEncoder().encode(TEST_FORWARDING_SECRET),
    );
    expect(identity).toEqual({
      subject: 'pat',
      issuer: staticIssuer.issuer,
      role: 'finance',
      scopes: ['finance'],
      partner: null,
    });
  });
});
