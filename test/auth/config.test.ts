// The gateway's authentication, forwarding, CORS and introspection settings (issue 5): defaults of
// the embedded default, and clear GatewayConfigError messages naming what is wrong.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig } from '../../gateway/index.js';
import { loadErpSubgraphConfig } from '../../subgraphs/erp/index.js';
import { loadStackConfig } from '../../stack/config.js';
import { loadSalesforceSubgraphConfig } from '../../subgraphs/salesforce/index.js';

const ISSUER = {
  issuer: 'https://idp.example.com/',
  audience: 'customer360-graph',
  jwksUrl: 'https://idp.example.com/jwks.json',
};
const issuers = (...entries: unknown[]) => ({ AUTH_ISSUERS: JSON.stringify(entries) });
function pem(type: 'ec' | 'rsa' | 'ed25519', options: { namedCurve?: string; modulusLength?: number } = {}): string {
  const { publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: options.namedCurve ?? 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 })
        : generateKeyPairSync('ed25519');
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

describe('defaults (the embedded default)', () => {
  it('uses the development issuer, ./data, the Lightning origins and introspection', () => {
    const config = loadGatewayConfig({});
    expect(config.auth).toEqual({ issuers: [], devIssuer: true, clockSkewS: 30 });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.identityForwardingKey).toEqual({ kind: 'file', file: path.resolve('./data/auth/forwarding.key') });
    expect(config.corsOrigins).toContain('https://*.lightning.force.com');
    expect(config.introspection).toBe(true);
  });

  it('turns introspection off in production unless configured on, and on/off as asked elsewhere', () => {
    const production = { NODE_ENV: 'production', ...issuers(ISSUER) };
    expect(loadGatewayConfig(production).introspection).toBe(false);
    expect(loadGatewayConfig({ ...production, GRAPHQL_INTROSPECTION: 'on' }).introspection).toBe(true);
    expect(loadGatewayConfig({ GRAPHQL_INTROSPECTION: 'off' }).introspection).toBe(false);
    expect(() => loadGatewayConfig({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow(
      /GRAPHQL_INTROSPECTION="yes": must be on or off/,
    );
  });
});

describe('AUTH_ISSUERS', () => {
  it('is required in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(GatewayConfigError);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_ISSUERS: required when NODE_ENV=production/,
    );
  });

  it('turns the development issuer off', () => {
    expect(loadGatewayConfig(issuers(ISSUER)).auth.devIssuer).toBe(false);
  });

  it('takes PEM public keys (RSA, EC P-256, Ed25519) and JWKS, as JWKs', () => {
    const config = loadGatewayConfig(
      issuers(
        { issuer: 'a', audience: ['x', 'y'], publicKeys: [pem('rsa'), pem('ec')] },
        { issuer: 'b', audience: 'x', publicKeys: pem('ed25519') },
        {
          issuer: 'c',
          audience: 'x',
          publicKeys: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] },
        },
      ),
    );
    const [a, b, c] = config.auth.issuers;
    expect(a).toMatchObject({
      issuer: 'a',
      audiences: ['x', 'y'],
      keys: { kind: 'static', jwks: { keys: [{ kty: 'RSA' }, { kty: 'EC', crv: 'P-256' }] } },
    });
    expect(b).toMatchObject({ keys: { kind: 'static', jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519' }] } } });
    expect(c).toMatchObject({ keys: { kind: 'static', jwks: { keys: [{ kty: 'OKP' }] } } });
  });

  it.each([
    ['not JSON', '[{', /AUTH_ISSUERS=.*must be a JSON array of issuers/],
    ['an empty array', '[]', /AUTH_ISSUERS=.*must name at least one issuer/],
    ['no audience', JSON.stringify([{ issuer: 'a', jwksUrl: 'https://a/jwks' }]), /AUTH_ISSUERS\[0\]\.audience/],
    [
      'both key sources',
      JSON.stringify([{ ...ISSUER, publicKeys: [pem('ec')] }]),
      /AUTH_ISSUERS\[0\]: needs exactly one of "jwksUrl" and "publicKeys"/,
    ],
    ['no key source', JSON.stringify([{ issuer: 'a', audience: 'x' }]), /needs exactly one of/],
    [
      'a plain-http JWKS URL off loopback',
      JSON.stringify([{ ...ISSUER, jwksUrl: 'http://idp.example.com/jwks' }]),
      /AUTH_ISSUERS\[0\]\.jwksUrl: must be an https URL/,
    ],
    ['an unknown field', JSON.stringify([{ ...ISSUER, audiences: ['x'] }]), /AUTH_ISSUERS\[0\]/],
    [
      'a private key',
      JSON.stringify([
        {
          issuer: 'a',
          audience: 'x',
          publicKeys: [
            generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
          ],
        },
      ]),
      /publicKeys\[0\]: must be a PEM SPKI public key/,
    ],
    [
      'a short RSA key',
      JSON.stringify([{ issuer: 'a', audience: 'x', publicKeys: [pem('rsa', { modulusLength: 1024 })] }]),
      /at least 2048 bits/,
    ],
    [
      'a P-384 key',
      JSON.stringify([{ issuer: 'a', audience: 'x', publicKeys: [pem('ec', { namedCurve: 'P-384' })] }]),
      /P-256/,
    ],
    [
      'a private JWK',
      JSON.stringify([{ issuer: 'a', audience: 'x', publicKeys: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }]),
      /must be a public key/,
    ],
    ['a duplicate issuer', JSON.stringify([ISSUER, ISSUER]), /AUTH_ISSUERS\[1\]\.issuer: .* is listed twice/],
  ])('refuses %s', (_, value, message) => {
    expect(() => loadGatewayConfig({ AUTH_ISSUERS: value })).toThrow(GatewayConfigError);
    expect(() => loadGatewayConfig({ AUTH_ISSUERS: value })).toThrow(message);
  });

  it('bounds AUTH_CLOCK_SKEW_S to 0..300', () => {
    expect(loadGatewayConfig({ AUTH_CLOCK_SKEW_S: '300' }).auth.clockSkewS).toBe(300);
    expect(() => loadGatewayConfig({ AUTH_CLOCK_SKEW_S: '301' })).toThrow(/AUTH_CLOCK_SKEW_S="301": must be 0..300/);
    expect(() => loadGatewayConfig({ AUTH_CLOCK_SKEW_S: '-1' })).toThrow(/AUTH_CLOCK_SKEW_S/);
  });
});

describe('IDENTITY_FORWARDING_SECRET and DATA_DIR', () => {
  it('takes a secret of 32 characters or more, on the gateway and both subgraphs alike', () => {
    const secret = 'x'.repeat(32);
    expect(loadGatewayConfig({ IDENTITY_FORWARDING_SECRET: secret }).identityForwardingKey).toEqual({
      kind: 'secret',
      secret,
    });
    expect(loadErpSubgraphConfig({ IDENTITY_FORWARDING_SECRET: secret }).identityForwardingKey).toEqual({
      kind: 'secret',
      secret,
    });
    expect(loadSalesforceSubgraphConfig({ IDENTITY_FORWARDING_SECRET: secret }).identityForwardingKey).toEqual({
      kind: 'secret',
      secret,
    });
  });

  it('refuses a shorter one without printing it', () => {
    const load = () => loadGatewayConfig({ IDENTITY_FORWARDING_SECRET: 'hunter2-hunter2' });
    expect(load).toThrow(/IDENTITY_FORWARDING_SECRET=\(hidden\): must be at least 32 characters/);
    expect(load).not.toThrow(/hunter2/);
    expect(() => loadErpSubgraphConfig({ IDENTITY_FORWARDING_SECRET: 'hunter2' })).toThrow(
      /IDENTITY_FORWARDING_SECRET: must be at least 32/,
    );
    expect(() => loadErpSubgraphConfig({ IDENTITY_FORWARDING_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('npm start hands every child one absolute DATA_DIR', () => {
    expect(loadStackConfig({}).inheritedEnv.DATA_DIR).toBe(path.resolve('./data'));
    expect(loadStackConfig({ DATA_DIR: 'var/c360' })).toMatchObject({
      dataDir: path.resolve('var/c360'),
      inheritedEnv: { DATA_DIR: path.resolve('var/c360') },
    });
  });

  it('puts the key file in the same DATA_DIR on the gateway and the subgraphs', () => {
    const expected = { kind: 'file', file: '/srv/c360/auth/forwarding.key' };
    expect(loadGatewayConfig({ DATA_DIR: '/srv/c360' }).identityForwardingKey).toEqual(expected);
    expect(loadErpSubgraphConfig({ DATA_DIR: '/srv/c360' }).identityForwardingKey).toEqual(expected);
    expect(loadSalesforceSubgraphConfig({ DATA_DIR: '/srv/c360' }).identityForwardingKey).toEqual(expected);
  });
});

describe('CORS_ORIGINS', () => {
  it('takes exact origins and leading subdomain wildcards, or none', () => {
    expect(
      loadGatewayConfig({ CORS_ORIGINS: ' https://a.example.com , https://*.force.com,http://localhost:3000' })
        .corsOrigins,
    ).toEqual(['https://a.example.com', 'https://*.force.com', 'http://localhost:3000']);
    expect(loadGatewayConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
  });

  it.each([
    ['a path', 'https://a.example.com/app'],
    ['a wildcard inside', 'https://a.*.example.com'],
    ['a bare wildcard', '*'],
    ['a top-level wildcard', 'https://*.com'],
    ['another scheme', 'ftp://a.example.com'],
    ['an upper-case host', 'https://A.example.com'],
  ])('refuses %s', (_, value) => {
    expect(() => loadGatewayConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS="/);
  });
});
