// The Customer 360 console (app/, Lightning Web Components) served by the gateway at /app: one
// page, its bundle and stylesheet from app/dist (built by `npm run build:app`), nothing from another
// origin, under the same strict Content-Security-Policy as GraphiQL. With the embedded development
// issuer on (no AUTH_ISSUERS), POST /app/dev-token hands the sign-in screen a token for a chosen
// demo role; with real issuers that route does not exist and users paste their own token.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import { ErrorCode } from '../lib/error-codes.js';
import { isRole } from '../lib/identity.js';
import { DevTokenError, mintDevToken } from './auth/dev-issuer.js';
import { DEV_PARTNERS, isDevPartner } from './auth/dev-partners.js';
import { mayReceiveDevTokens } from './auth/dev-token-hosts.js';
import type { GatewayConfig } from './config.js';
import { sameOriginContentSecurityPolicy } from './content-security-policy.js';

export const CONSOLE_PATH = '/app';
export const CONSOLE_ASSETS_PATH = `${CONSOLE_PATH}/assets`;
export const CONSOLE_DEV_TOKEN_PATH = `${CONSOLE_PATH}/dev-token`;

// app/build.ts writes these; the names are repeated here rather than imported, so the gateway never
// loads the build tooling (rollup, the LWC compiler) into its process.
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../app/dist/', import.meta.url));
const BUNDLE = 'console.js';
const STYLESHEET = 'page.css';

/** The roles the sign-in screen offers besides the demo partners; integration is for machines. */
const DEV_ROLES = ['sales', 'service', 'finance'] as const;
/** A console session's development token lasts a working day. */
const DEV_TOKEN_EXPIRY = '8h';

// Component styles are constructable stylesheets (native shadow DOM), which style-src does not
// restrict; the page's own stylesheet is a file of this origin.
const CONTENT_SECURITY_POLICY = sameOriginContentSecurityPolicy();

interface BuiltFile {
  readonly file: string;
  readonly contentType: string;
}

interface Build {
  /** console.js's mtime: the build is read again when it changes (a rebuild while running). */
  readonly stamp: number;
  readonly page: (config: string) => string;
  readonly files: ReadonlyMap<string, BuiltFile>;
}

/** The build in `distDir` as of `stamp`. */
function readBuild(distDir: string, stamp: number): Build {
  const versioned = (name: string) => {
    const hash = createHash('sha256')
      .update(readFileSync(path.join(distDir, name)))
      .digest('hex')
      .slice(0, 12);
    return `/${hash}/${name}`;
  };
  const script = versioned(BUNDLE);
  const stylesheet = versioned(STYLESHEET);
  const files = new Map<string, BuiltFile>([
    [script, { file: path.join(distDir, BUNDLE), contentType: 'text/javascript; charset=utf-8' }],
    // The bundle names its map relative to itself.
    [`${script}.map`, { file: path.join(distDir, `${BUNDLE}.map`), contentType: 'application/json; charset=utf-8' }],
    [stylesheet, { file: path.join(distDir, STYLESHEET), contentType: 'text/css; charset=utf-8' }],
  ]);
  return {
    stamp,
    files,
    page: (config) => renderPage(`${CONSOLE_ASSETS_PATH}${script}`, `${CONSOLE_ASSETS_PATH}${stylesheet}`, config),
  };
}

/** Reads the build when it changed since the last look; null while there is none. */
function buildReader(distDir: string): () => Build | null {
  let cached: Build | undefined;
  return () => {
    let stamp: number;
    try {
      stamp = statSync(path.join(distDir, BUNDLE)).mtimeMs;
    } catch {
      return null;
    }
    if (cached?.stamp !== stamp) cached = readBuild(distDir, stamp);
    return cached;
  };
}

export function consoleRouter(
  graphqlEndpoint: string,
  config: Pick<GatewayConfig, 'auth' | 'dataDir' | 'devTokenHosts'>,
  options: { distDir?: string } = {},
): Router {
  const devIssuer = config.auth.devIssuer;
  // Read by app/src/modules/c360/config; a JSON data block, `<` escaped so nothing can end it early.
  // The one-click sign-in is offered only where /app/dev-token answers (a DEV_TOKEN_HOSTS Host).
  const pageConfigOf = (offerDevTokens: boolean) =>
    JSON.stringify({
      graphqlEndpoint,
      devTokenEndpoint: offerDevTokens ? CONSOLE_DEV_TOKEN_PATH : null,
      devRoles: offerDevTokens ? DEV_ROLES : [],
      devPartners: offerDevTokens ? Object.keys(DEV_PARTNERS).map((id) => ({ id, label: `Partner ${id}` })) : [],
    }).replace(/</g, '\\u003c');
  const pageConfigs = { withDevTokens: pageConfigOf(devIssuer), withoutDevTokens: pageConfigOf(false) };

  const currentBuild = buildReader(options.distDir ?? CONSOLE_DIST_DIR);
  const router = Router();
  router.get(CONSOLE_PATH, (req, res) => {
    const build = currentBuild();
    if (!build) {
      sendError(
        res,
        503,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'The Customer 360 console is not built: run `npm run build:app` (npm start does it before starting).',
      );
      return;
    }
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      })
      .send(
        build.page(
          mayReceiveDevTokens(req.get('host'), config.devTokenHosts)
            ? pageConfigs.withDevTokens
            : pageConfigs.withoutDevTokens,
        ),
      );
  });
  router.get(`${CONSOLE_ASSETS_PATH}/*asset`, (req, res, next) => {
    const asset = currentBuild()?.files.get(req.path.slice(CONSOLE_ASSETS_PATH.length));
    if (!asset) return next();
    res.sendFile(
      asset.file,
      {
        maxAge: '365d',
        immutable: true,
        headers: { 'Content-Type': asset.contentType, 'X-Content-Type-Options': 'nosniff' },
      },
      (error) => error && next(error),
    );
  });
  if (devIssuer) {
    router.post(CONSOLE_DEV_TOKEN_PATH, express.json({ limit: '1kb' }), (req, res, next) => {
      issueDevToken(req, res, config).catch(next);
    });
  }
  return router;
}

/**
 * POST /app/dev-token { role, partnerId? } → { token, role, partnerId, expiresIn }. Only the demo
 * roles and partners; only on a loopback Host (DEV_TOKEN_HOSTS: DNS rebinding, dev-token-hosts.ts),
 * answered 421 Misdirected Request otherwise; only from this origin's own page (a JSON body needs a
 * CORS preflight, which /app does not grant, and a browser's Origin header must be this host).
 */
async function issueDevToken(
  req: Request,
  res: Response,
  config: Pick<GatewayConfig, 'dataDir' | 'devTokenHosts'>,
): Promise<void> {
  if (!mayReceiveDevTokens(req.get('host'), config.devTokenHosts)) {
    sendError(
      res,
      421,
      ErrorCode.FORBIDDEN,
      `Development tokens are handed out only on ${config.devTokenHosts.join(', ')} (DEV_TOKEN_HOSTS), not on the host this request named.`,
    );
    return;
  }
  const origin = req.get('origin');
  if (origin !== undefined && hostOf(origin) !== req.get('host')?.toLowerCase()) {
    sendError(
      res,
      403,
      ErrorCode.FORBIDDEN,
      'Development tokens are handed only to the console served by this gateway.',
    );
    return;
  }
  const body = (req.body ?? {}) as { role?: unknown; partnerId?: unknown };
  const role = body.role;
  const partnerId = typeof body.partnerId === 'string' ? body.partnerId : undefined;
  const offered =
    role === 'partner'
      ? partnerId !== undefined && isDevPartner(partnerId)
      : (DEV_ROLES as readonly unknown[]).includes(role);
  if (!isRole(role) || !offered || (role !== 'partner' && body.partnerId !== undefined)) {
    sendError(
      res,
      400,
      ErrorCode.BAD_USER_INPUT,
      `Ask for { "role": ${DEV_ROLES.map((r) => `"${r}"`).join(' | ')} } or { "role": "partner", "partnerId": ${Object.keys(
        DEV_PARTNERS,
      )
        .map((p) => `"${p}"`)
        .join(' | ')} }.`,
    );
    return;
  }
  try {
    const token = await mintDevToken({
      dataDir: config.dataDir,
      role,
      ...(partnerId !== undefined && { partnerId }),
      expiresIn: DEV_TOKEN_EXPIRY,
    });
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .json({ token, role, partnerId: partnerId ?? null, expiresIn: DEV_TOKEN_EXPIRY });
  } catch (error) {
    if (!(error instanceof DevTokenError)) throw error;
    sendError(res, 400, ErrorCode.BAD_USER_INPUT, error.message);
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** The GraphQL error shape every non-GraphQL answer of the gateway uses (http-errors.ts). */
function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message, extensions: { code } }] });
}

function renderPage(script: string, stylesheet: string, config: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer 360 · customer360-graph</title>
<link rel="stylesheet" href="${escapeHtml(stylesheet)}">
</head>
<body>
<div id="c360-root"><p class="c360-loading">Loading the Customer 360 console…</p></div>
<noscript>The Customer 360 console needs JavaScript.</noscript>
<script type="application/json" id="c360-config">${config}</script>
<script src="${escapeHtml(script)}"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
