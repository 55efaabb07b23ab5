// The OAuth 2.0 token endpoint of the emulated org (POST /services/oauth2/token) for the flows an
// integration uses: client_credentials, password (the only one answering a refresh_token, as a
// connected app without offline scope does), JWT bearer (RFC 7523; Salesforce checks iss = consumer
// key, sub = username, aud = login URL, exp) and refresh_token. Responses and errors follow
// Salesforce's shape; jsforce requires `id` (shared/reference/salesforce-rest-and-jsforce.md).
// Access tokens are opaque random strings with an expiry, like session ids.
import {
  X509Certificate,
  createHmac,
  createPublicKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  clientId: 'customer360-dev',
  clientSecret: 'customer360-dev-secret',
  username: 'integration@customer360.example',
  password: 'customer360-dev-password',
};

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce's production and sandbox login URLs: the audiences a JWT assertion may name. */
const STANDARD_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

// Expired sessions are dropped when seen; past this many live entries a sweep removes the rest.
const SWEEP_THRESHOLD = 10_000;

export interface Session {
  readonly accessToken: string;
  readonly userId: string;
  readonly organizationId: string;
  readonly clientId: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  refresh_token?: string;
}

export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toJSON() {
    return { error: this.error, error_description: this.description };
  }
}

export interface OAuthOptions {
  readonly credentials: Credentials;
  readonly organizationId: string;
  /** The user the configured credentials log in as. */
  readonly integrationUserId: string;
  /** Active users by lower-cased username: JWT assertions may name any of them as `sub`. */
  readonly usersByUsername: ReadonlyMap<string, string>;
  /** PEM public keys or X.509 certificates (RSA) that sign JWT assertions; none: signatures are not checked. */
  readonly jwtPublicKeys: readonly string[];
  /** Extra accepted `aud` values, besides login/test.salesforce.com and the emulator's own URL. */
  readonly jwtAudiences: readonly string[];
  readonly tokenTtlMs: number;
  readonly now: () => Date;
}

/** Where the token endpoint was reached: it is the instance URL and the identity URL's host. */
export interface Origin {
  readonly baseUrl: string;
}

function toKeyObject(pem: string): KeyObject {
  const key = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('JWT signing keys must be RSA (RS256)');
  return key;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class OAuthService {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { userId: string; clientId: string }>();
  private readonly keys: KeyObject[];

  constructor(private readonly options: OAuthOptions) {
    this.keys = options.jwtPublicKeys.map(toKeyObject);
  }

  /** The session of a valid, unexpired access token. */
  verify(accessToken: string): Session | null {
    const session = this.sessions.get(accessToken);
    if (!session) return null;
    if (session.expiresAt <= this.options.now().getTime()) {
      this.sessions.delete(accessToken);
      return null;
    }
    return session;
  }

  /** Revokes an access or refresh token; false when it is unknown. */
  revoke(token: string): boolean {
    return this.sessions.delete(token) || this.refreshTokens.delete(token);
  }

  /** Ends every session (tests: "the org expired all sessions"). */
  expireAllSessions(): void {
    this.sessions.clear();
  }

  /** A session for in-process callers (tests, the stack launcher) without an HTTP round trip. */
  issue(origin: Origin, userId = this.options.integrationUserId): TokenResponse {
    return this.respond(origin, userId, this.options.credentials.clientId, false);
  }

  async token(
    params: Record<string, string | undefined>,
    basic: { id: string; secret: string } | null,
    origin: Origin,
  ): Promise<TokenResponse> {
    const clientId = params.client_id ?? basic?.id;
    const clientSecret = params.client_secret ?? basic?.secret;
    switch (params.grant_type) {
      case 'client_credentials':
        this.authenticateClient(clientId, clientSecret, true);
        return this.respond(origin, this.options.integrationUserId, clientId!, false);
      case 'password': {
        this.authenticateClient(clientId, clientSecret, true);
        const { username, password } = this.options.credentials;
        if (
          !params.username ||
          params.username.toLowerCase() !== username.toLowerCase() ||
          !safeEqual(params.password ?? '', password)
        ) {
          throw new OAuthError('invalid_grant', 'authentication failure');
        }
        return this.respond(origin, this.options.integrationUserId, clientId!, true);
      }
      case 'refresh_token': {
        this.authenticateClient(clientId, clientSecret, false);
        const grant = params.refresh_token ? this.refreshTokens.get(params.refresh_token) : undefined;
        if (!grant || grant.clientId !== clientId)
          throw new OAuthError('invalid_grant', 'expired access/refresh token');
        return this.respond(origin, grant.userId, grant.clientId, false);
      }
      case JWT_BEARER_GRANT: {
        const userId = await this.verifyAssertion(params.assertion, origin);
        return this.respond(origin, userId, this.options.credentials.clientId, false);
      }
      default:
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
  }

  private authenticateClient(
    clientId: string | undefined,
    clientSecret: string | undefined,
    secretRequired: boolean,
  ): void {
    const expected = this.options.credentials;
    if (!clientId || clientId !== expected.clientId)
      throw new OAuthError('invalid_client', 'client identifier invalid');
    if ((secretRequired || clientSecret !== undefined) && !safeEqual(clientSecret ?? '', expected.clientSecret)) {
      throw new OAuthError('invalid_client', 'invalid client credentials');
    }
  }

  /** Checks the JWT bearer assertion; answers the user it logs in. */
  private async verifyAssertion(assertion: string | undefined, origin: Origin): Promise<string> {
    if (!assertion) throw new OAuthError('invalid_grant', 'invalid assertion: the assertion parameter is missing');
    let payload: JWTPayload;
    try {
      if (decodeProtectedHeader(assertion).alg !== 'RS256') {
        throw new OAuthError('invalid_grant', 'invalid assertion: the algorithm must be RS256');
      }
      payload = decodeJwt(assertion);
    } catch (err) {
      if (err instanceof OAuthError) throw err;
      throw new OAuthError('invalid_grant', 'invalid assertion: not a signed JWT');
    }
    if (this.keys.length > 0 && !(await this.signedByKnownKey(assertion))) {
      throw new OAuthError('invalid_grant', 'invalid assertion: signature verification failed');
    }
    if (payload.iss !== this.options.credentials.clientId)
      throw new OAuthError('invalid_client', 'client identifier invalid');
    const audiences = [...STANDARD_AUDIENCES, origin.baseUrl, ...this.options.jwtAudiences];
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a.replace(/\/$/, '')))) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.options.now().getTime()) {
      throw new OAuthError('invalid_grant', 'expired authorization code');
    }
    const sub = typeof payload.sub === 'string' ? payload.sub.toLowerCase() : '';
    const userId =
      sub === this.options.credentials.username.toLowerCase()
        ? this.options.integrationUserId
        : this.options.usersByUsername.get(sub);
    if (!userId) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    return userId;
  }

  private sweep(now: number): void {
    for (const [token, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(token);
  }

  private async signedByKnownKey(assertion: string): Promise<boolean> {
    for (const key of this.keys) {
      try {
        await compactVerify(assertion, key, { algorithms: ['RS256'] });
        return true;
      } catch {
        // Try the next configured key.
      }
    }
    return false;
  }

  private respond(origin: Origin, userId: string, clientId: string, withRefreshToken: boolean): TokenResponse {
    const issuedAt = this.options.now().getTime();
    if (this.sessions.size >= SWEEP_THRESHOLD) this.sweep(issuedAt);
    const accessToken = `${this.options.organizationId.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
    this.sessions.set(accessToken, {
      accessToken,
      userId,
      organizationId: this.options.organizationId,
      clientId,
      issuedAt,
      expiresAt: issuedAt + this.options.tokenTtlMs,
    });
    const id = `${origin.baseUrl}/id/${this.options.organizationId}/${userId}`;
    const response: TokenResponse = {
      access_token: accessToken,
      // Salesforce signs id + issued_at with the consumer secret so clients can check the response.
      signature: createHmac('sha256', this.options.credentials.clientSecret)
        .update(id + String(issuedAt))
        .digest('base64'),
      scope: 'api',
      instance_url: origin.baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: String(issuedAt),
    };
    if (withRefreshToken) {
      const refreshToken = `5Aep${randomBytes(32).toString('base64url')}`;
      this.refreshTokens.set(refreshToken, { userId, clientId });
      response.refresh_token = refreshToken;
    }
    return response;
  }
}
