// Issue 5, item 6 (introspection): GRAPHQL_INTROSPECTION=on|off; on by default, off by default
// when NODE_ENV=production.
import { describe, expect, it } from 'vitest';
import { startHarness } from '../gateway/support/gateway-harness.js';
import { bearer, createTestIssuer } from '../support/identity.js';

const INTROSPECTION = { query: '{ __schema { queryType { name } } }' };

async function introspect(env: Record<string, string>): Promise<unknown> {
  const issuer = await createTestIssuer();
  const harness = await startHarness({
    ...env,
    ...(env.NODE_ENV === 'production' && { AUTH_ISSUERS: JSON.stringify([issuer.entry()]) }),
  });
  try {
    const token = await issuer.sign({ sub: 'dev', role: 'integration' });
    const response = await harness.graphql(INTROSPECTION, env.NODE_ENV === 'production' ? bearer(token) : {});
    return await response.json();
  } finally {
    await harness.close();
  }
}

const ALLOWED = { data: { __schema: { queryType: { name: 'Query' } } } };
const REFUSED = { errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] };

describe('GRAPHQL_INTROSPECTION', () => {
  it('is on by default outside production', async () => {
    expect(await introspect({})).toEqual(ALLOWED);
  });

  it('can be turned off outside production', async () => {
    expect(await introspect({ GRAPHQL_INTROSPECTION: 'off' })).toMatchObject(REFUSED);
  });

  it('is off by default in production, and on when configured', async () => {
    expect(await introspect({ NODE_ENV: 'production' })).toMatchObject(REFUSED);
    expect(await introspect({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'on' })).toEqual(ALLOWED);
  });
});
