// Issue 5, item 3 (the identity plumbing): the gateway forwards the verified identity to the
// subgraphs as a short-lived HS256 JWS (x-c360-identity), keyed by IDENTITY_FORWARDING_SECRET or a
// key file created in DATA_DIR; a subgraph refuses GraphQL without a valid one, so calling it
// directly is no way around the gateway. Health and metrics stay open.
import { statSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardingKeyFile, loadForwardingKey } from '../../lib/forwarding-key.js';
import { ForwardedIdentityError, signForwardedIdentity, verifyForwardedIdentity } from '../../lib/identity-forwarding.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../../subgraphs/salesforce/index.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { account, FakeSalesforceConnector } from '../subgraphs/support/fake-salesforce.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { forwardedIdentityHeaders, TEST_FORWARDING_ENV, TEST_FORWARDING_SECRET, testIdentity } from '../support/identity.js';
import { createTempDir } from '../support/temp-dir.js';

const encode = (text: string) => new TextEncoder().encode(text);
const KEY = encode(TEST_FORWARDING_SECRET);
const PARTNER = testIdentity('partner', { id: 'P-NORTHWIND', customers: ['C00001', 'C00007'] });

describe('lib/identity-forwarding', () => {
  it('round-trips every part of an identity, the partner scope included', async () => {
    expect(await verifyForwardedIdentity(await signForwardedIdentity(PARTNER, KEY), KEY)).toEqual(PARTNER);
    const sales = testIdentity('sales');
    expect(await verifyForwardedIdentity(await signForwardedIdentity(sales, KEY), KEY)).toEqual(sales);
  });

  it('refuses another key, an expired header, alg none and a changed payload', async () => {
    const refused = (token: string) => expect(verifyForwardedIdentity(token, KEY)).rejects.toBeInstanceOf(ForwardedIdentityError);
    await refused(await signForwardedIdentity(PARTNER, encode('another-secret-of-at-least-32-characters')));
    await refused(await signForwardedIdentity(PARTNER, KEY, new Date(Date.now() - 10 * 60_000)));
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    await refused(`${b64({ alg: 'none' })}.${b64({ sub: 'x', role: 'finance', iss: 'customer360-gateway', aud: 'customer360-subgraphs' })}.`);
    const [header, , signature] = (await signForwardedIdentity(PARTNER, KEY)).split('.');
    const widened = { sub: 'test-partner', role: 'finance', c360_iss: 'x', iss: 'customer360-gateway', aud: 'customer360-subgraphs', iat: 1, exp: 9_999_999_999 };
    await refused(`${header}.${b64(widened)}.${signature}`);
  });

  it('refuses a header with the right key but the wrong audience or a far-off expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { role: 'finance', c360_iss: 'x' };
    const wrongAudience = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setIssuer('customer360-gateway').setAudience('elsewhere').setIssuedAt(now).setExpirationTime(now + 60).sign(KEY);
    await expect(verifyForwardedIdentity(wrongAudience, KEY)).rejects.toBeInstanceOf(ForwardedIdentityError);
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setIssuer('customer360-gateway').setAudience('customer360-subgraphs').setIssuedAt(now - 3600).setExpirationTime(now + 3600).sign(KEY);
    await expect(verifyForwardedIdentity(forever, KEY)).rejects.toBeInstanceOf(ForwardedIdentityError);
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
      { ...loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', ...TEST_FORWARDING_ENV }), shield: passThroughShield() },
      {
        connector: new FakeSalesforceConnector({ accounts: [account(1)], users: [], contacts: [], opportunities: [], quotes: [], quoteLines: [], cases: [] }),
        logger: log.logger,
      },
    );
  });
  afterAll(() => server?.close());

  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { name } }' }),
    });

  async function expectRefused(response: Response): Promise<void> {
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ message: expect.stringContaining('gateway'), extensions: { code: 'UNAUTHENTICATED' } }] });
  }

  it('without a forwarded identity: 401 UNAUTHENTICATED, logged', async () => {
    await expectRefused(await post({}));
    expect(log.lines.join('\n')).toMatch(/without a valid forwarded identity/);
  });

  it('with a forged one (another key, a user token, garbage, expired): 401', async () => {
    await expectRefused(await post(await forwardedIdentityHeaders(testIdentity('finance'), 'a-forged-secret-that-is-long-enough-000')));
    await expectRefused(await post({ 'x-c360-identity': 'not.a.token' }));
    const expired = await signForwardedIdentity(testIdentity('finance'), KEY, new Date(Date.now() - 10 * 60_000));
    await expectRefused(await post({ 'x-c360-identity': expired }));
  });

  it('with the gateway-signed identity: answers', async () => {
    const response = await post(await forwardedIdentityHeaders(testIdentity('sales')));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { accountByErpNumber: { name: expect.any(String) } } });
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
      { ...loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', DATA_DIR: dir.path, LOG_LEVEL: 'silent' }), shield: passThroughShield() },
      { connector: new FakeSalesforceConnector({ accounts: [account(1)], users: [], contacts: [], opportunities: [], quotes: [], quoteLines: [], cases: [] }) },
    );
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  it('uses the key file of its DATA_DIR, the one the gateway of that DATA_DIR signs with', async () => {
    const key = await loadForwardingKey({ kind: 'file', file: forwardingKeyFile(dir.path) });
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await forwardedIdentityHeaders(testIdentity('sales'), key)) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    const refused = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await forwardedIdentityHeaders(testIdentity('sales'))) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(refused.status).toBe(401);
  });
});
