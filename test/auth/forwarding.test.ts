// The identity plumbing: the gateway forwards the verified identity to each subgraph as a
// short-lived HS256 JWS whose audience is that subgraph (x-c360-identity), bound to each request's
// exact body by an HMAC (x-c360-identity-binding), keyed by IDENTITY_FORWARDING_SECRET or a key
// file created in DATA_DIR; a subgraph refuses GraphQL without a valid pair, so calling it directly
// is no way around the gateway, and a captured pair replays only that request, on that subgraph,
// for seconds. Health and metrics stay open.
import { statSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardingKeyFile, loadForwardingKey } from '../../lib/forwarding-key.js';
import {
  BINDING_LIFETIME_S,
  bindForwardedIdentity,
  checkIdentityBinding,
  ForwardedIdentityError,
  FORWARDED_IDENTITY_LIFETIME_S,
  signForwardedIdentity,
  verifyForwardedIdentity,
} from '../../lib/identity-forwarding.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../../subgraphs/salesforce/index.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { account, FakeSalesforceConnector } from '../subgraphs/support/fake-salesforce.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import {
  forwardedIdentityHeaders,
  TEST_FORWARDING_ENV,
  TEST_FORWARDING_SECRET,
  testIdentity,
} from '../support/identity.js';
import { createTempDir } from '../support/temp-dir.js';

const encode = (text: string) => new TextEncoder().encode(text);
const KEY = encode(TEST_FORWARDING_SECRET);
const PARTNER = testIdentity('partner', { id: 'P-NORTHWIND', customers: ['C00001', 'C00007'] });

describe('lib/identity-forwarding', () => {
  it('round-trips every part of an identity, the partner scope included', async () => {
    expect(await verifyForwardedIdentity(await signForwardedIdentity(PARTNER, 'erp', KEY), 'erp', KEY)).toEqual(
      PARTNER,
    );
    const sales = testIdentity('sales');
    expect(
      await verifyForwardedIdentity(await signForwardedIdentity(sales, 'salesforce', KEY), 'salesforce', KEY),
    ).toEqual(sales);
  });

  it('lives a minute (it was five), binding or not', () => {
    expect(FORWARDED_IDENTITY_LIFETIME_S).toBe(60);
    expect(BINDING_LIFETIME_S).toBe(15);
  });

  it('refuses another key, another subgraph, an expired header, alg none and a changed payload', async () => {
    const refused = (token: string) =>
      expect(verifyForwardedIdentity(token, 'erp', KEY)).rejects.toBeInstanceOf(ForwardedIdentityError);
    await refused(await signForwardedIdentity(PARTNER, 'erp', encode('another-secret-of-at-least-32-characters')));
    await refused(await signForwardedIdentity(PARTNER, 'salesforce', KEY));
    await refused(await signForwardedIdentity(PARTNER, 'erp', KEY, new Date(Date.now() - 2 * 60_000)));
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    await refused(
      `${b64({ alg: 'none' })}.${b64({ sub: 'x', role: 'finance', iss: 'customer360-gateway', aud: 'erp' })}.`,
    );
    const [header, , signature] = (await signForwardedIdentity(PARTNER, 'erp', KEY)).split('.');
    const widened = {
      sub: 'test-partner',
      role: 'finance',
      c360_iss: 'x',
      iss: 'customer360-gateway',
      aud: 'erp',
      iat: 1,
      exp: 9_999_999_999,
    };
    await refused(`${header}.${b64(widened)}.${signature}`);
  });

  it('refuses a header with the right key but a far-off expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { role: 'finance', c360_iss: 'x' };
    const forever = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('customer360-gateway')
      .setAudience('erp')
      .setIssuedAt(now - 3600)
      .setExpirationTime(now + 3600)
      .sign(KEY);
    await expect(verifyForwardedIdentity(forever, 'erp', KEY)).rejects.toBeInstanceOf(ForwardedIdentityError);
  });

  it('binds an identity to one subgraph, one body and fifteen seconds', async () => {
    const identity = await signForwardedIdentity(PARTNER, 'erp', KEY);
    const request = { subgraph: 'erp', body: '{"query":"{ order(number: \\"SO-1\\") { number } }"}' };
    const sent = new Date();
    const binding = bindForwardedIdentity(identity, request, KEY, sent);
    expect(() =>
      checkIdentityBinding(binding, identity, { ...request, body: Buffer.from(request.body) }, KEY, sent),
    ).not.toThrow();
    const refused = (change: () => void) => expect(change).toThrow(ForwardedIdentityError);
    refused(() =>
      checkIdentityBinding(binding, identity, { ...request, body: request.body.replace('SO-1', 'SO-2') }, KEY, sent),
    );
    refused(() => checkIdentityBinding(binding, identity, { ...request, subgraph: 'salesforce' }, KEY, sent));
    refused(() =>
      checkIdentityBinding(binding, identity, request, encode('another-secret-of-at-least-32-characters'), sent),
    );
    refused(() =>
      checkIdentityBinding(bindForwardedIdentity(identity, request, KEY), `${identity}x`, request, KEY, sent),
    );
    refused(() =>
      checkIdentityBinding(binding, identity, request, KEY, new Date(sent.getTime() + (BINDING_LIFETIME_S + 6) * 1000)),
    );
    refused(() =>
      checkIdentityBinding(
        binding.replace(/\.(\d+)\./, (_, at: string) => `.${Number(at) + 60}.`),
        identity,
        request,
        KEY,
        sent,
      ),
    );
    refused(() => checkIdentityBinding('v2.1.x', identity, request, KEY, sent));
    // Within the lifetime the same request replays: that is what a private network or mTLS is for.
    expect(() =>
      checkIdentityBinding(binding, identity, request, KEY, new Date(sent.getTime() + BINDING_LIFETIME_S * 1000)),
    ).not.toThrow();
  });
});

describe('lib/forwarding-key', () => {
  const dir = createTempDir('forwarding-key');
  afterAll(() => dir.remove());

  it('uses IDENTITY_FORWARDING_SECRET as it is', async () => {
    expect(await loadForwardingKey({ kind: 'secret', secret: TEST_FORWARDING_SECRET })).toEqual(KEY);
  });

  it('creates one key file (0600, in a 0700 folder) on first use, however many load it at once', async () => {
    const file = forwardingKeyFile(join(dir.path, 'data'));
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadForwardingKey({ kind: 'file', file })));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(keys[0]!.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, 'data', 'auth')).mode & 0o777).toBe(0o700);
    expect(await loadForwardingKey({ kind: 'file', file })).toEqual(keys[0]);
    expect(encode((await readFile(file, 'utf8')).trim())).toEqual(keys[0]);
  });

  it('refuses a key file that is too short, naming it', async () => {
    const file = join(dir.path, 'short', 'auth', 'forwarding.key');
    await mkdir(join(dir.path, 'short', 'auth'), { recursive: true });
    await writeFile(file, 'short\n');
    await expect(loadForwardingKey({ kind: 'file', file })).rejects.toThrow(file);
  });
});

describe('a subgraph called directly', () => {
  let server: RunningServer;
  const log = captureLogger();
  beforeAll(async () => {
    server = await startSalesforceSubgraph(
      {
        ...loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', ...TEST_FORWARDING_ENV }),
        shield: passThroughShield(),
      },
      {
        connector: new FakeSalesforceConnector({
          accounts: [account(1)],
          users: [],
          contacts: [],
          opportunities: [],
          quotes: [],
          quoteLines: [],
          cases: [],
        }),
        logger: log.logger,
      },
    );
  });
  afterAll(() => server?.close());

  const BODY = JSON.stringify({ query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { name } }' });
  const post = (headers: Record<string, string>, body = BODY) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  async function expectRefused(response: Response): Promise<void> {
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.stringContaining('gateway'), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  }

  it('without a forwarded identity: 401 UNAUTHENTICATED, logged', async () => {
    await expectRefused(await post({}));
    expect(log.lines.join('\n')).toMatch(/without a valid forwarded identity/);
  });

  const forSalesforce = { subgraph: 'salesforce', body: BODY } as const;

  it('with a forged one (another key, a user token, garbage, expired): 401', async () => {
    await expectRefused(
      await post(
        await forwardedIdentityHeaders(
          forSalesforce,
          testIdentity('finance'),
          'a-forged-secret-that-is-long-enough-000',
        ),
      ),
    );
    await expectRefused(await post({ 'x-c360-identity': 'not.a.token', 'x-c360-identity-binding': 'v1.1.x' }));
    const expired = await signForwardedIdentity(
      testIdentity('finance'),
      'salesforce',
      KEY,
      new Date(Date.now() - 2 * 60_000),
    );
    await expectRefused(
      await post({
        'x-c360-identity': expired,
        'x-c360-identity-binding': bindForwardedIdentity(expired, forSalesforce, KEY),
      }),
    );
  });

  it('with the gateway-signed identity bound to this request: answers', async () => {
    const response = await post(await forwardedIdentityHeaders(forSalesforce, testIdentity('sales')));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { accountByErpNumber: { name: expect.any(String) } } });
  });

  it('a captured pair replays nothing else: another operation, another subgraph, no binding, too late: 401, logged', async () => {
    const captured = await forwardedIdentityHeaders(forSalesforce, testIdentity('sales'));
    // Another body with the captured headers.
    await expectRefused(
      await post(captured, JSON.stringify({ query: '{ accountByErpNumber(erpCustomerNumber: "C00002") { name } }' })),
    );
    await expectRefused(await post(captured, BODY.replace('{ name }', '{ name phone }')));
    // The identity alone, or with its binding dropped for a request the subgraph never saw.
    await expectRefused(await post({ 'x-c360-identity': captured['x-c360-identity']! }));
    // Headers made for the ERP subgraph, sent here.
    await expectRefused(
      await post(await forwardedIdentityHeaders({ subgraph: 'erp', body: BODY }, testIdentity('sales'))),
    );
    // A binding older than its lifetime.
    const identity = await signForwardedIdentity(testIdentity('sales'), 'salesforce', KEY);
    const stale = bindForwardedIdentity(
      identity,
      forSalesforce,
      KEY,
      new Date(Date.now() - (BINDING_LIFETIME_S + 10) * 1000),
    );
    await expectRefused(await post({ 'x-c360-identity': identity, 'x-c360-identity-binding': stale }));
    // A body that is not JSON never reaches GraphQL with the captured pair either.
    const plain = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...captured },
      body: BODY,
    });
    expect(plain.status).toBe(401);
    expect(log.lines.join('\n')).toMatch(/does not match this request/);
    // The captured request itself, at once: answered (within its fifteen seconds, on the private network).
    expect((await post(captured)).status).toBe(200);
  });

  it('keeps /healthz, /readyz and /metrics open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      await response.body?.cancel();
    }
  });
});

describe('a subgraph without IDENTITY_FORWARDING_SECRET', () => {
  const dir = createTempDir('forwarding-subgraph');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSalesforceSubgraph(
      {
        ...loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', DATA_DIR: dir.path, LOG_LEVEL: 'silent' }),
        shield: passThroughShield(),
      },
      {
        connector: new FakeSalesforceConnector({
          accounts: [account(1)],
          users: [],
          contacts: [],
          opportunities: [],
          quotes: [],
          quoteLines: [],
          cases: [],
        }),
      },
    );
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  it('uses the key file of its DATA_DIR, the one the gateway of that DATA_DIR signs with', async () => {
    const key = await loadForwardingKey({ kind: 'file', file: forwardingKeyFile(dir.path) });
    const body = JSON.stringify({ query: '{ __typename }' });
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await forwardedIdentityHeaders({ subgraph: 'salesforce', body }, testIdentity('sales'), key)),
      },
      body,
    });
    expect(response.status).toBe(200);
    const refused = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await forwardedIdentityHeaders({ subgraph: 'salesforce', body }, testIdentity('sales'))),
      },
      body,
    });
    expect(refused.status).toBe(401);
  });
});
