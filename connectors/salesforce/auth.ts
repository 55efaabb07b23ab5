// Obtaining an access token from Salesforce's OAuth token endpoint for the three flows the connector
// supports (shared/reference/salesforce-rest-and-jsforce.md: `POST {loginUrl}/services/oauth2/token`,
// form-encoded). We POST ourselves instead of using jsforce's OAuth2/login(): jsforce has no
// client_credentials helper, falls back to SOAP login without a client secret, and gives us no
// deadline on the token call. Re-authorization policy lives in session.ts.
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { BackendError } from '../../lib/backend-error.js';
import type { SalesforceAuthOptions } from './options.js';

export interface AccessToken {
  accessToken: string;
  instanceUrl: string;
}

export interface TokenRequestOptions {
  loginUrl: string;
  auth: SalesforceAuthOptions;
  timeoutMs: number;
  correlationId: string;
}

/** Salesforce rejects JWT assertions whose exp is more than 3 minutes away (OAuth JWT bearer flow). */
const JWT_LIFETIME_SECONDS = 180;

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The RS256-signed assertion of the JWT bearer flow: iss = client id, sub = username, aud = login URL. */
export async function signJwtAssertion(
  auth: Extract<SalesforceAuthOptions, { flow: 'jwt_bearer' }>,
  loginUrl: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  let key;
  try {
    // createPrivateKey reads PKCS#1 ("BEGIN RSA PRIVATE KEY") and PKCS#8 PEMs alike.
    key = createPrivateKey(auth.privateKeyPem);
  } catch (error) {
    throw new BackendError(
      'salesforce',
      'unauthorized',
      'The JWT private key is not a readable PEM key',
      {
        operation: 'auth',
        backendCode: 'INVALID_PRIVATE_KEY',
      },
      { cause: error },
    );
  }
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(auth.clientId)
    .setSubject(auth.username)
    .setAudience(auth.audience ?? baseUrl(loginUrl))
    .setExpirationTime(nowSeconds + JWT_LIFETIME_SECONDS)
    .sign(key);
}

async function grantParameters(auth: SalesforceAuthOptions, loginUrl: string): Promise<URLSearchParams> {
  switch (auth.flow) {
    case 'client_credentials':
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: auth.clientId,
        client_secret: auth.clientSecret,
      });
    case 'password':
      return new URLSearchParams({
        grant_type: 'password',
        client_id: auth.clientId,
        client_secret: auth.clientSecret,
        username: auth.username,
        password: auth.password,
      });
    case 'jwt_bearer':
      return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: await signJwtAssertion(auth, loginUrl) });
  }
}

function authError(
  failure: BackendError['failure'],
  message: string,
  status?: number,
  backendCode?: string,
  cause?: unknown,
) {
  return new BackendError(
    'salesforce',
    failure,
    message,
    { operation: 'auth', ...(status !== undefined ? { status } : {}), ...(backendCode ? { backendCode } : {}) },
    cause === undefined ? undefined : { cause },
  );
}

/** One token request. Never retried here: session.ts decides when to ask again. */
export async function requestAccessToken(options: TokenRequestOptions): Promise<AccessToken> {
  const url = `${baseUrl(options.loginUrl)}/services/oauth2/token`;
  const body = await grantParameters(options.auth, options.loginUrl);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-correlation-id': options.correlationId,
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw timedOut
      ? authError('timeout', `Token request timed out after ${options.timeoutMs} ms`, undefined, undefined, error)
      : authError(
          'unavailable',
          `Token endpoint unreachable: ${(error as Error).message}`,
          undefined,
          undefined,
          error,
        );
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const fields = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;

  if (!response.ok) {
    // OAuth errors are { error, error_description } (RFC 6749 §5.2): invalid_grant, invalid_client, ...
    const code = typeof fields.error === 'string' ? fields.error : undefined;
    const description = typeof fields.error_description === 'string' ? fields.error_description : text.slice(0, 200);
    const failure = response.status >= 500 ? 'unavailable' : response.status === 429 ? 'rate_limited' : 'unauthorized';
    throw authError(
      failure,
      `Token request failed (${response.status} ${code ?? ''}): ${description}`,
      response.status,
      code,
    );
  }

  const { access_token: accessToken, instance_url: instanceUrl } = fields;
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    typeof instanceUrl !== 'string' ||
    !/^https?:\/\//.test(instanceUrl)
  ) {
    throw authError('invalid_response', 'Token response lacks access_token or instance_url', response.status);
  }
  return { accessToken, instanceUrl: baseUrl(instanceUrl) };
}
