// The ERP emulator's OAuth 2.0 client credentials endpoint (Entra ID's shape) and the bearer check
// in front of the Business Central API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

let erp: ErpTestClient;
let clock = Date.parse('2026-11-23T10:00:00Z');

beforeAll(async () => {
  erp = await startFixtureEmulator({ now: () => new Date(clock) });
});
afterAll(async () => {
  await erp.running.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const good = {
  grant_type: 'client_credentials',
  client_id: 'customer360-erp-dev',
  client_secret: 'customer360-erp-dev-secret',
  scope: SCOPE,
};

async function token(fields: Record<string, string>, init: RequestInit = {}, url = erp.running.tokenUrl) {
  const response = await fetch(url, { method: 'POST', body: form(fields), ...init });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /{tenant}/oauth2/v2.0/token', () => {
  it('issues a bearer token for valid client credentials', async () => {
    const { status, body } = await token(good);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(typeof body.access_token).toBe('string');
    expect((body.access_token as string).length).toBeGreaterThan(20);
  });

  it('accepts client_secret_basic (credentials in the Authorization header)', async () => {
    const basic = Buffer.from(`${good.client_id}:${good.client_secret}`).toString('base64');
    const { status } = await token(
      { grant_type: 'client_credentials', scope: SCOPE },
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(status).toBe(200);
  });

  it('rejects a wrong secret with 401 invalid_client', async () => {
    const { status, body } = await token({ ...good, client_secret: 'nope' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret/);
    expect(body.error_codes).toEqual([7000215]);
  });

  it('rejects an unknown client id with 401 invalid_client', async () => {
    const { status, body } = await token({ ...good, client_id: 'someone-else' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('rejects other grant types, a missing scope, a wrong scope and an unknown tenant with 400', async () => {
    expect(await token({ ...good, grant_type: 'password' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    const { scope: _omit, ...noScope } = good;
    expect(await token(noScope)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await token({ ...good, scope: 'https://graph.microsoft.com/.default' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    const otherTenant = erp.running.tokenUrl.replace('customer360-dev', 'other-tenant');
    expect(await token(good, {}, otherTenant)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('bearer tokens on the API', () => {
  it('serves the API with a valid token', async () => {
    const response = await erp.call('/customers?$top=1');
    expect(response.status).toBe(200);
  });

  it('answers 401 Authentication_InvalidCredentials without a token or with an unknown one', async () => {
    for (const authorization of ['', 'Bearer not-a-token', `Basic ${erp.token}`]) {
      const response = await fetch(`${erp.company}/customers`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('Authentication_InvalidCredentials');
      expect(body.error.message).toMatch(/rejected the client credentials/);
    }
  });

  it('protects $metadata and companies too', async () => {
    expect((await fetch(`${erp.running.apiUrl}/$metadata`)).status).toBe(401);
    expect((await fetch(`${erp.running.apiUrl}/companies`)).status).toBe(401);
  });

  it('expires tokens after expires_in seconds', async () => {
    const { body } = await token(good);
    const fresh = body.access_token as string;
    const call = () => fetch(`${erp.company}/items?$top=1`, { headers: { authorization: `Bearer ${fresh}` } });
    expect((await call()).status).toBe(200);
    clock += 3600 * 1000;
    try {
      expect((await call()).status).toBe(401);
    } finally {
      clock -= 3600 * 1000;
    }
  });

  it('DELETE /__emulator/tokens revokes every issued token', async () => {
    const { body } = await token(good);
    const fresh = body.access_token as string;
    expect((await fetch(`${erp.company}/items`, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
    expect((await fetch(`${erp.running.url}/__emulator/tokens`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${erp.company}/items`, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(401);
  });
});
