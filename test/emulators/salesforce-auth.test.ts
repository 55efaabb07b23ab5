// The emulated org's OAuth endpoints and session checks, through jsforce's own OAuth2 client:
// client credentials, username/password (with refresh token), JWT bearer with a signed assertion,
// refresh_token, bad credentials, invalid/expired/revoked sessions and the identity URL.
import { createHmac } from 'node:crypto';
import jsforce from 'jsforce';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, fixtureDataset, rejection, startEmulator, type RunningFixture } from './salesforce-fixture.js';

const org = fixtureDataset();
const CLIENT = { clientId: 'customer360-dev', clientSecret: 'customer360-dev-secret' };
const USER = { username: 'integration@customer360.example', password: 'customer360-dev-password' };
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let clock = Date.parse('2025-01-15T12:00:00Z');
let fx: RunningFixture;
let signingKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  fx = await startEmulator({
    dataset: org.dataset,
    now: () => new Date(clock),
    jwtPublicKeys: [await exportSPKI(pair.publicKey)],
  });
});
afterAll(async () => {
  expect(fx.unexpected).toEqual([]);
  await fx.close();
});

const oauthConnection = () => new jsforce.Connection({ oauth2: { loginUrl: fx.url, ...CLIENT }, version: API_VERSION });

async function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${fx.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers,
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function assertion(claims: { iss?: string; sub?: string; aud?: string; expSeconds?: number }, key = signingKey) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? CLIENT.clientId)
    .setSubject(claims.sub ?? USER.username)
    .setAudience(claims.aud ?? 'https://login.salesforce.com')
    .setExpirationTime(Math.floor(clock / 1000) + (claims.expSeconds ?? 180))
    .sign(key);
}

describe('token endpoint', () => {
  it('client_credentials: answers Salesforce token fields and the session works', async () => {
    const { status, body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(status).toBe(200);
    const { integration } = org.users;
    expect(body).toMatchObject({
      instance_url: fx.url,
      id: `${fx.url}/id/${org.dataset.organizationId}/${integration.Id}`,
      token_type: 'Bearer',
      issued_at: String(clock),
    });
    expect(body.refresh_token).toBeUndefined();
    expect(body.signature).toBe(
      createHmac('sha256', CLIENT.clientSecret)
        .update(body.id! + body.issued_at!)
        .digest('base64'),
    );

    const conn = oauthConnection();
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo).toMatchObject({ id: integration.Id, organizationId: org.dataset.organizationId });
    expect(conn.instanceUrl).toBe(fx.url);
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(6);
  });

  it('client_credentials: accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');
    const { status } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(status).toBe(200);
  });

  it('password: logs in with jsforce and answers a refresh token', async () => {
    const conn = oauthConnection();
    const userInfo = await conn.login(USER.username, USER.password);
    expect(userInfo.id).toBe(org.users.integration.Id);
    expect((await conn.query("SELECT Name FROM Account WHERE Name = 'Acme Corp'")).records).toHaveLength(1);
    const { body } = await tokenRequest({
      grant_type: 'password',
      ...USER,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(typeof body.refresh_token).toBe('string');
  });

  it('refresh_token: trades a refresh token for a new session', async () => {
    const { body } = await tokenRequest({
      grant_type: 'password',
      ...USER,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    const conn = oauthConnection();
    const refreshed = await conn.oauth2.refreshToken(body.refresh_token!);
    expect(refreshed.access_token).not.toBe(body.access_token);
    expect(refreshed.refresh_token).toBeUndefined();
    const next = new jsforce.Connection({
      instanceUrl: refreshed.instance_url,
      accessToken: refreshed.access_token,
      version: API_VERSION,
    });
    expect((await next.query('SELECT COUNT() FROM Contact')).totalSize).toBe(7);
    const err = await rejection(conn.oauth2.refreshToken('5Aep-not-a-token'));
    expect(err.name).toBe('invalid_grant');
  });

  it('jwt-bearer: accepts an RS256 assertion signed with the configured key', async () => {
    const conn = oauthConnection();
    const userInfo = await conn.authorize({ grant_type: JWT_GRANT, assertion: await assertion({}) });
    expect(userInfo.id).toBe(org.users.integration.Id);
    expect((await conn.query('SELECT Id FROM Account LIMIT 1')).records).toHaveLength(1);
    // sub may name any active user of the org; aud may be the emulator's own URL.
    const sara = await oauthConnection().authorize({
      grant_type: JWT_GRANT,
      assertion: await assertion({ sub: 'sara@customer360.example', aud: fx.url }),
    });
    expect(sara.id).toBe(org.users.sara.Id);
  });

  it('jwt-bearer: rejects bad signatures and claims with OAuth errors', async () => {
    const cases: [Promise<string>, string, string][] = [
      [assertion({}, otherKey), 'invalid_grant', 'invalid assertion: signature verification failed'],
      [assertion({ expSeconds: -10 }), 'invalid_grant', 'expired authorization code'],
      [assertion({ iss: 'someone-else' }), 'invalid_client', 'client identifier invalid'],
      [assertion({ aud: 'https://evil.example' }), 'invalid_grant', 'audience is invalid'],
      [assertion({ sub: 'nobody@customer360.example' }), 'invalid_grant', "user hasn't approved this consumer"],
      [assertion({ sub: 'old@customer360.example' }), 'invalid_grant', "user hasn't approved this consumer"],
      [
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(CLIENT.clientId).sign(new Uint8Array(32)),
        'invalid_grant',
        'invalid assertion: the algorithm must be RS256',
      ],
      [Promise.resolve('not-a-jwt'), 'invalid_grant', 'invalid assertion: not a signed JWT'],
    ];
    for (const [jwt, error, description] of cases) {
      const { status, body } = await tokenRequest({ grant_type: JWT_GRANT, assertion: await jwt });
      expect({ status, body }).toEqual({ status: 400, body: { error, error_description: description } });
    }
  });

  it('jwt-bearer: without configured keys, checks the claims but not the signature', async () => {
    const open = await startEmulator({ dataset: org.dataset, now: () => new Date(clock) });
    try {
      const conn = new jsforce.Connection({ oauth2: { loginUrl: open.url, ...CLIENT }, version: API_VERSION });
      expect((await conn.authorize({ grant_type: JWT_GRANT, assertion: await assertion({}, otherKey) })).id).toBe(
        org.users.integration.Id,
      );
      const err = await rejection(
        conn.authorize({ grant_type: JWT_GRANT, assertion: await assertion({ expSeconds: -1 }, otherKey) }),
      );
      expect(err.name).toBe('invalid_grant');
    } finally {
      await open.close();
    }
  });

  it('rejects bad credentials and unknown grants with OAuth JSON errors', async () => {
    const wrongSecret = new jsforce.Connection({
      oauth2: { loginUrl: fx.url, clientId: CLIENT.clientId, clientSecret: 'nope' },
      version: API_VERSION,
    });
    const secretErr = await rejection(wrongSecret.authorize({ grant_type: 'client_credentials' }));
    expect([secretErr.name, secretErr.message]).toEqual(['invalid_client', 'invalid client credentials']);

    const wrongPassword = await rejection(oauthConnection().login(USER.username, 'wrong'));
    expect([wrongPassword.name, wrongPassword.message]).toEqual(['invalid_grant', 'authentication failure']);

    const unknownClient = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'other',
      client_secret: CLIENT.clientSecret,
    });
    expect(unknownClient).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'client identifier invalid' },
    });

    const unknownGrant = await tokenRequest({ grant_type: 'authorization_code', code: 'x' });
    expect(unknownGrant).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    });
  });
});

describe('sessions', () => {
  it('answers 401 INVALID_SESSION_ID for unknown tokens, on every API resource', async () => {
    const conn = new jsforce.Connection({ instanceUrl: fx.url, accessToken: 'not-a-session', version: API_VERSION });
    const err = await rejection(conn.query('SELECT Id FROM Account'));
    expect([err.errorCode, err.message]).toEqual(['INVALID_SESSION_ID', 'Session expired or invalid']);
    for (const path of [
      '/sobjects',
      '/sobjects/Account/describe',
      '/limits',
      '/query?q=SELECT+Id+FROM+Account',
      '/nonexistent',
    ]) {
      const response = await fetch(`${fx.url}/services/data/v62.0${path}`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    }
    const missing = await fetch(`${fx.url}/services/data/v62.0/sobjects`);
    expect(missing.status).toBe(401);
  });

  it('expires sessions after the token lifetime (default 2 hours)', async () => {
    const conn = fx.connection();
    clock += 2 * 60 * 60 * 1000 - 1000;
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(6);
    clock += 2000;
    expect((await rejection(conn.query('SELECT COUNT() FROM Account'))).errorCode).toBe('INVALID_SESSION_ID');
  });

  it('jsforce re-authenticates a password session once the org ends it', async () => {
    const conn = oauthConnection();
    await conn.login(USER.username, USER.password);
    const before = conn.accessToken;
    fx.emulator.oauth.expireAllSessions();
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(6);
    expect(conn.accessToken).not.toBe(before);
  });

  it('revokes a session on logout', async () => {
    const conn = oauthConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const token = conn.accessToken!;
    await conn.logout();
    const after = new jsforce.Connection({ instanceUrl: fx.url, accessToken: token, version: API_VERSION });
    expect((await rejection(after.query('SELECT Id FROM Account'))).errorCode).toBe('INVALID_SESSION_ID');
  });

  it('serves the identity URL of the session', async () => {
    const conn = oauthConnection();
    await conn.authorize({ grant_type: 'client_credentials' });
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      user_id: org.users.integration.Id,
      organization_id: org.dataset.organizationId,
      username: 'integration@customer360.example',
      display_name: 'Integration User',
    });
    // Without an id URL, jsforce reads it from the version root first.
    const bare = new jsforce.Connection({ instanceUrl: fx.url, accessToken: conn.accessToken!, version: API_VERSION });
    expect((await bare.identity()).user_id).toBe(org.users.integration.Id);
    const anonymous = await fetch(`${fx.url}/id/${org.dataset.organizationId}/${org.users.integration.Id}`);
    expect(anonymous.status).toBe(401);
  });
});
