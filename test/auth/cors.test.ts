// Issue 5, item 5: CORS for Salesforce Lightning origins on /graphql and /odata (exact origins and
// leading *. subdomain wildcards), with Apollo's CSRF prevention still on behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originAllowed } from '../../gateway/cors.js';
import { startHarness, type Harness } from '../gateway/support/gateway-harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

function preflight(origin: string, path = '/graphql'): Promise<Response> {
  return fetch(`${harness.gateway.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-correlation-id',
    },
  });
}

describe('CORS with the default Salesforce origins', () => {
  it('allows a preflight from a Lightning origin, and from a sandbox one level deeper', async () => {
    for (const origin of [
      'https://acme.lightning.force.com',
      'https://acme--uat.sandbox.lightning.force.com',
      'https://partners.my.site.com',
    ]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/apollo-require-preflight/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/Origin/i);
    }
  });

  it('refuses a preflight from any other origin (no Access-Control-Allow-Origin)', async () => {
    for (const origin of [
      'https://evil.example.com',
      'https://lightning.force.com.evil.example',
      'https://evil-lightning.force.com',
      'http://acme.lightning.force.com',
      'null',
    ]) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('covers /odata too', async () => {
    const response = await preflight('https://acme.lightning.force.com', '/odata/v4/Accounts');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://acme.lightning.force.com');
  });

  it('adds the headers to the actual request, exposing the correlation id', async () => {
    const response = await harness.graphql({ query: '{ __typename }' }, { origin: 'https://acme.lightning.force.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://acme.lightning.force.com');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-correlation-id/);
    await response.body?.cancel();
  });
});

describe('the GraphiQL page (it holds development tokens)', () => {
  it('is never readable cross-origin, even from an allowed Lightning origin', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      headers: { accept: 'text/html', origin: 'https://attacker.my.site.com' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await response.body?.cancel();
  });
});

describe('CSRF prevention stays on', () => {
  it('refuses a simple-request POST (text/plain, no preflight header) even with a valid token', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...harness.authHeaders },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
  });
});

describe('CORS_ORIGINS', () => {
  it('matches exact origins and leading subdomain wildcards only', () => {
    const allowed = ['https://app.example.com', 'https://*.lightning.force.com', 'http://localhost:3000'];
    expect(originAllowed('https://app.example.com', allowed)).toBe(true);
    expect(originAllowed('https://x.app.example.com', allowed)).toBe(false);
    expect(originAllowed('https://app.example.com:8443', allowed)).toBe(false);
    expect(originAllowed('https://a.b.lightning.force.com', allowed)).toBe(true);
    expect(originAllowed('https://lightning.force.com', allowed)).toBe(false);
    expect(originAllowed('http://localhost:3000', allowed)).toBe(true);
    expect(originAllowed('http://localhost:3001', allowed)).toBe(false);
    expect(originAllowed('https://app.example.com/', allowed)).toBe(false);
  });

  it('applies a configured list instead of the defaults', async () => {
    const other = await startHarness({ CORS_ORIGINS: 'https://console.example.com' });
    try {
      const allowed = await fetch(`${other.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://console.example.com', 'access-control-request-method': 'POST' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
      const lightning = await fetch(`${other.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://acme.lightning.force.com', 'access-control-request-method': 'POST' },
      });
      expect(lightning.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.close();
    }
  });
});
