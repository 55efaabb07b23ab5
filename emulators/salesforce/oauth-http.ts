// HTTP side of the org's OAuth endpoints: POST /services/oauth2/token (form-encoded; client
// credentials in the body or HTTP Basic), POST /services/oauth2/revoke, and the identity URL
// GET /id/{orgId}/{userId} that token responses point to (jsforce's identity() calls it with the
// token in the Authorization header or as ?oauth_token=).
import express from 'express';
import type { Request, Response } from 'express';
import { invalidSession, notFound } from './errors.js';
import { formatForOutput } from './field-values.js';
import { normalizeId } from './ids.js';
import { OAuthError, type OAuthService } from './oauth.js';
import type { SalesforceStore } from './store.js';

export interface OAuthHttpOptions {
  readonly oauth: OAuthService;
  readonly store: SalesforceStore;
  readonly organizationId: string;
  /** The emulator's base URL as the client reached it. */
  readonly baseUrlOf: (req: Request) => string;
  readonly sendErrors: (res: Response, status: number, errorCode: string, message: string) => void;
}

function basicCredentials(req: Request): { id: string; secret: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** The bearer token of a request (`Authorization: Bearer x` or Salesforce's older `OAuth x`). */
export function bearerToken(req: Request): string | null {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m ? m[1]! : null;
}

function formParams(body: unknown): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  if (typeof body !== 'object' || body === null) return params;
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v;
  return params;
}

export function oauthRouter(options: OAuthHttpOptions): express.Router {
  const { oauth, store } = options;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  router.post('/services/oauth2/token', form, async (req, res) => {
    res.locals.routeKey = 'token';
    res.set('Cache-Control', 'no-cache,no-store');
    try {
      const token = await oauth.token(formParams(req.body), basicCredentials(req), { baseUrl: options.baseUrlOf(req) });
      res.status(200).json(token);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(err.status).json(err.toJSON());
    }
  });

  router.post('/services/oauth2/revoke', form, (req, res) => {
    res.locals.routeKey = 'revoke';
    const token = formParams(req.body).token ?? new URL(req.originalUrl, 'http://x').searchParams.get('token');
    if (token && oauth.revoke(token)) {
      res.status(200).end();
      return;
    }
    res.status(400).json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
  });

  router.get('/id/:orgId/:userId', (req, res) => {
    res.locals.routeKey = 'identity';
    const token = bearerToken(req) ?? new URL(req.originalUrl, 'http://x').searchParams.get('oauth_token');
    const session = token ? oauth.verify(token) : null;
    if (!session) {
      const err = invalidSession();
      options.sendErrors(res, err.status, 'INVALID_SESSION_ID', err.message);
      return;
    }
    const orgId = normalizeId(req.params.orgId);
    const userId = normalizeId(req.params.userId);
    const user = userId ? store.get('User', userId) : undefined;
    if (orgId !== normalizeId(options.organizationId) || !user) {
      const err = notFound();
      options.sendErrors(res, err.status, 'NOT_FOUND', err.message);
      return;
    }
    const base = options.baseUrlOf(req);
    const lastModified = store.object('User')!.field('LastModifiedDate')!;
    const rest = `${base}/services/data/v{version}/`;
    res.json({
      id: `${base}/id/${options.organizationId}/${user.Id}`,
      asserted_user: user.Id === session.userId,
      user_id: user.Id,
      organization_id: options.organizationId,
      username: user.Username,
      nick_name: String(user.Username).split('@')[0],
      display_name: user.Name,
      email: user.Email,
      email_verified: true,
      first_name: user.FirstName,
      last_name: user.LastName,
      timezone: 'GMT',
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      last_modified_date: formatForOutput(lastModified, user.LastModifiedDate),
      // Salesforce answers the literal placeholder {version} in these URLs.
      urls: {
        rest,
        sobjects: `${rest}sobjects/`,
        query: `${rest}query/`,
        recent: `${rest}recent/`,
        profile: `${base}/${user.Id}`,
      },
    });
  });

  return router;
}
