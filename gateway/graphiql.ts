// GraphiQL served by the gateway itself, working offline, for developers (decision 0032).
// Apollo's default landing page loads Apollo Sandbox from a CDN, so the
// page here references nothing but this origin: React, ReactDOM and GraphiQL come from their
// packages' UMD builds in node_modules, and a Content-Security-Policy holds the browser to 'self'.
// With the embedded development issuer on (no AUTH_ISSUERS), each page load on a loopback Host
// (DEV_TOKEN_HOSTS, auth/dev-token-hosts.ts) carries fresh development tokens: the header editor is
// prefilled with a sales token, and the partner-view tab has a partner's token in its own headers.
// On any other Host (DNS rebinding) and with real issuers the page carries no token at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Request } from 'express';
import { mintDevToken } from './auth/dev-issuer.js';
import { mayReceiveDevTokens } from './auth/dev-token-hosts.js';
import type { GatewayConfig } from './config.js';
import { sameOriginContentSecurityPolicy } from './content-security-policy.js';
import { EXAMPLE_OPERATIONS, type ExampleIdentity } from './graphiql-examples.js';

export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets';

interface Asset {
  /** Path under GRAPHIQL_ASSETS_PATH; versioned, so the response may be cached for good. */
  readonly path: string;
  readonly file: string;
  readonly contentType: string;
}

const require = createRequire(import.meta.url);

function packageAsset(pkg: string, file: string, contentType: string): Asset {
  const { version } = require(`${pkg}/package.json`) as { version: string };
  // react and react-dom do not export their umd/ folder, so resolve from the package root.
  const packageRoot = path.dirname(require.resolve(`${pkg}/package.json`));
  return { path: `/${pkg}@${version}/${path.basename(file)}`, file: path.join(packageRoot, file), contentType };
}

function ownAsset(name: string, contentType: string): Asset {
  const file = fileURLToPath(new URL(name, import.meta.url));
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
  return { path: `/${hash}/${name}`, file, contentType };
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

// Scripts in load order: GraphiQL's UMD build expects window.React and window.ReactDOM.
function graphiqlAssets() {
  const scripts = [
    packageAsset('react', 'umd/react.production.min.js', JS),
    packageAsset('react-dom', 'umd/react-dom.production.min.js', JS),
    packageAsset('graphiql', 'graphiql.min.js', JS),
    ownAsset('graphiql-init.js', JS),
  ];
  const stylesheet = packageAsset('graphiql', 'graphiql.min.css', CSS);
  // The bundles name their source maps; serving them keeps the browser's devtools quiet.
  const sourceMaps = [
    packageAsset('graphiql', 'graphiql.min.js.map', JSON_TYPE),
    packageAsset('graphiql', 'graphiql.min.css.map', JSON_TYPE),
  ];
  return { scripts, stylesheet, all: [...scripts, stylesheet, ...sourceMaps] };
}

// Only this origin. Fonts and icons in graphiql.min.css are data: URIs. Styles stay at 'self':
// React, CodeMirror and framer-motion style elements through the CSSOM, which CSP permits; the
// few <style>/style="" uses inside GraphiQL's dialogs (scroll lock, CodeMirror's jump-to-line box)
// lose only cosmetics.
const CONTENT_SECURITY_POLICY = sameOriginContentSecurityPolicy("font-src 'self' data:");

/** Browsers asking for a page at the GraphQL endpoint; GraphQL GETs carry `query` and prefer JSON. */
function wantsGraphiql(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.query.query === undefined &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html'
  );
}

/** What graphiql-init.js reads from the page. */
interface PageConfig {
  readonly endpoint: string;
  readonly examples: readonly {
    readonly query: string;
    readonly variables?: Record<string, unknown>;
    readonly headers?: Record<string, string>;
  }[];
  /** The header editor's default (tabs without headers of their own): the sales development token. */
  readonly defaultHeaders?: Record<string, string>;
}

/** A development token's lifetime in the page: a working day, renewed by reloading. */
const DEV_TOKEN_EXPIRY = '8h';

/**
 * The header editor's default on a Host that gets no development tokens: valid JSON GraphiQL sends
 * as it is (a header the gateway ignores), so the reason is in front of the developer.
 */
const NO_DEV_TOKENS_HERE = (hosts: readonly string[]) => ({
  'X-No-Development-Token': `Development tokens are handed out only on ${hosts.join(', ')} (DEV_TOKEN_HOSTS): open GraphiQL there, or put your own token in an Authorization header.`,
});

export function graphiqlRouter(
  endpoint: string,
  config: Pick<GatewayConfig, 'auth' | 'dataDir' | 'devTokenHosts'>,
): Router {
  const assets = graphiqlAssets();
  const assetsByPath = new Map(assets.all.map((asset) => [asset.path, asset]));

  /** The page's settings; with the development issuer, on a loopback Host, tokens minted for this page load. */
  async function pageConfig(req: Request): Promise<PageConfig> {
    const withoutTokens = EXAMPLE_OPERATIONS.map(({ query, variables }) => ({
      query,
      ...(variables && { variables }),
    }));
    if (!config.auth.devIssuer) return { endpoint, examples: withoutTokens };
    if (!mayReceiveDevTokens(req.get('host'), config.devTokenHosts)) {
      return { endpoint, examples: withoutTokens, defaultHeaders: NO_DEV_TOKENS_HERE(config.devTokenHosts) };
    }
    const tokens = new Map<string, Promise<string>>();
    const authorization = async (identity: ExampleIdentity) => {
      const key = identity.role === 'partner' ? `partner:${identity.partnerId}` : identity.role;
      if (!tokens.has(key))
        tokens.set(key, mintDevToken({ dataDir: config.dataDir, ...identity, expiresIn: DEV_TOKEN_EXPIRY }));
      return { Authorization: `Bearer ${await tokens.get(key)}` };
    };
    const defaultHeaders = await authorization({ role: 'sales' });
    const examples = await Promise.all(
      EXAMPLE_OPERATIONS.map(async ({ query, variables, identity }) => ({
        query,
        ...(variables && { variables }),
        // Tabs running as the default identity keep no headers of their own: they show the default.
        ...(identity.role !== 'sales' && { headers: await authorization(identity) }),
      })),
    );
    return { endpoint, examples, defaultHeaders };
  }

  const router = Router();
  router.get(endpoint, (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    pageConfig(req).then((settings) => {
      res
        .status(200)
        .set({
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          // The page may hold development tokens: never kept by a cache.
          'Cache-Control': 'no-store',
          Vary: 'Accept',
        })
        .send(renderPage(settings, assets));
    }, next);
  });
  router.get(`${GRAPHIQL_ASSETS_PATH}/*asset`, (req, res, next) => {
    const asset = assetsByPath.get(req.path.slice(GRAPHIQL_ASSETS_PATH.length));
    if (!asset) return next();
    res.sendFile(
      asset.file,
      {
        maxAge: '365d',
        immutable: true,
        dotfiles: 'allow',
        headers: { 'Content-Type': asset.contentType, 'X-Content-Type-Options': 'nosniff' },
      },
      (error) => error && next(error),
    );
  });
  return router;
}

function renderPage(settings: PageConfig, assets: ReturnType<typeof graphiqlAssets>): string {
  const href = (asset: Asset) => escapeHtml(`${GRAPHIQL_ASSETS_PATH}${asset.path}`);
  // Embedded as a JSON data block, read by graphiql-init.js; `<` escaped so no `</script>` can end it early.
  const config = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>customer360-graph · GraphiQL</title>
<link rel="stylesheet" href="${href(assets.stylesheet)}">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="application/json" id="graphiql-config">${config}</script>
${assets.scripts.map((script) => `<script src="${href(script)}"></script>`).join('\n')}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
