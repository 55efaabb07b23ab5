// The Customer 360 console's HTTP surface (gateway/console.ts), without a browser: the page and its
// CSP, the built assets, the 503 that says how to build when app/dist is missing, and the
// development-token route, which exists only while the development issuer is on. The page's
// behaviour in a browser is test/e2e/console.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerPublicJwks } from '../../gateway/auth/dev-issuer.js';
import { DEFAULT_DEV_TOKEN_HOSTS } from '../../gateway/auth/dev-token-hosts.js';
import { DEV_PARTNERS } from '../../gateway/auth/dev-partners.js';
import { consoleRouter } from '../../gateway/console.js';
import { notFoundHandler } from '../../gateway/http-errors.js';
import { listen, type RunningServer } from '../../lib/http-server.js';
import { requestWithHost } from '../support/forged-host.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let temp: TempDir;
const servers: RunningServer[] = [];

/** A gateway-like app serving the console from `distDir`, with the development issuer on or off. */
async function serve(options: { devIssuer: boolean; distDir: string }): Promise<RunningServer> {
  const app = express();
  app.use(
    consoleRouter(
      '/graphql',
      {
        auth: { devIssuer: options.devIssuer, issuers: [], clockSkewS: 60 },
        dataDir: temp.path,
        devTokenHosts: DEFAULT_DEV_TOKEN_HOSTS,
      },
      { distDir: options.distDir },
    ),
  );
  app.use(notFoundHandler());
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  servers.push(server);
  return server;
}

function pageConfig(html: string): {
  graphqlEndpoint: string;
  devTokenEndpoint: string | null;
  devRoles: string[];
  devPartners: { id: string }[];
} {
  return JSON.parse(/<script type="application\/json" id="c360-config">([^<]*)<\/script>/.exec(html)![1]!);
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

let built: string;
let dev: RunningServer;
let production: RunningServer;

beforeAll(async () => {
  temp = createTempDir('console');
  // A stand-in for app/dist (the real build is exercised by the browser test).
  built = path.join(temp.path, 'dist');
  mkdirSync(built);
  writeFileSync(
    path.join(built, 'console.js'),
    '(function(){ /* the LWC bundle */ })();\n//# sourceMappingURL=console.js.map\n',
  );
  writeFileSync(path.join(built, 'console.js.map'), '{"version":3,"sources":[],"mappings":""}');
  writeFileSync(path.join(built, 'page.css'), 'body { margin: 0; }\n');
  dev = await serve({ devIssuer: true, distDir: built });
  production = await serve({ devIssuer: false, distDir: built });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  temp?.remove();
});

describe('GET /app', () => {
  it('serves the page under a strict CSP, with nothing from another origin and no inline script', async () => {
    const response = await fetch(`${dev.url}/app`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await response.text();
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+/i);
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]);
    expect(inline).toEqual([' type="application/json" id="c360-config"']);
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      expect(url).toMatch(/^\/app\/assets\/[0-9a-f]{12}\/(console\.js|page\.css)$/);
      const asset = await fetch(new URL(url, dev.url));
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(asset.headers.get('cache-control'), url).toMatch(/max-age=31536000.*immutable/);
      await asset.body?.cancel();
    }
    const script = urls.find((url) => url.endsWith('.js'))!;
    expect((await fetch(new URL(`${script}.map`, dev.url))).status).toBe(200);
  });

  it('tells the page where GraphQL is and, with the development issuer, which demo roles it may sign in as', async () => {
    expect(pageConfig(await (await fetch(`${dev.url}/app`)).text())).toEqual({
      graphqlEndpoint: '/graphql',
      devTokenEndpoint: '/app/dev-token',
      devRoles: ['sales', 'service', 'finance'],
      devPartners: Object.keys(DEV_PARTNERS).map((id) => ({ id, label: `Partner ${id}` })),
    });
    expect(pageConfig(await (await fetch(`${production.url}/app`)).text())).toEqual({
      graphqlEndpoint: '/graphql',
      devTokenEndpoint: null,
      devRoles: [],
      devPartners: [],
    });
  });

  it('answers unknown assets, and files beside the build, with 404 JSON', async () => {
    for (const url of ['/app/assets/000000000000/console.js', '/app/assets/../dist/console.js', '/app/assets/x']) {
      const response = await fetch(new URL(url, dev.url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type'), url).toMatch(/^application\/json/);
      await response.body?.cancel();
    }
  });

  it('without a build: 503 JSON saying how to build, not an HTML error page', async () => {
    const empty = path.join(temp.path, 'not-built');
    mkdirSync(empty);
    const server = await serve({ devIssuer: true, distDir: empty });
    const response = await fetch(`${server.url}/app`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toContain('npm run build:app');
  });
});

describe('POST /app/dev-token', () => {
  async function verified(token: string) {
    const { payload } = await jwtVerify(token, createLocalJWKSet(await devIssuerPublicJwks(temp.path)), {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
    return payload;
  }

  it('mints a development token for a demo role, valid for about a working day', async () => {
    const response = await postJson(`${dev.url}/app/dev-token`, { role: 'sales' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; role: string; partnerId: string | null };
    expect(body).toMatchObject({ role: 'sales', partnerId: null });
    const claims = await verified(body.token);
    expect(claims).toMatchObject({ role: 'sales', sub: 'dev-sales' });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
  });

  it('mints a partner token carrying the demo partner’s customers', async () => {
    const response = await postJson(`${dev.url}/app/dev-token`, { role: 'partner', partnerId: 'P-NORTHWIND' });
    expect(response.status).toBe(200);
    const claims = await verified(((await response.json()) as { token: string }).token);
    expect(claims).toMatchObject({
      role: 'partner',
      partner_id: 'P-NORTHWIND',
      customers: [...DEV_PARTNERS['P-NORTHWIND']!],
    });
  });

  it('refuses what the sign-in screen does not offer, with 400 BAD_USER_INPUT', async () => {
    for (const body of [
      {},
      { role: 'integration' },
      { role: 'root' },
      { role: 'partner' },
      { role: 'partner', partnerId: 'P-ELSEWHERE' },
      { role: 'sales', partnerId: 'P-NORTHWIND' },
    ]) {
      const response = await postJson(`${dev.url}/app/dev-token`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(answer.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('hands tokens only to its own origin’s page', async () => {
    const foreign = await postJson(
      `${dev.url}/app/dev-token`,
      { role: 'sales' },
      { origin: 'https://attacker.example' },
    );
    expect(foreign.status).toBe(403);
    await foreign.body?.cancel();
    const own = await postJson(`${dev.url}/app/dev-token`, { role: 'sales' }, { origin: dev.url });
    expect(own.status).toBe(200);
    expect(decodeJwt(((await own.json()) as { token: string }).token).role).toBe('sales');
  });

  it('hands tokens only on a loopback Host: a rebound name gets 421 and no token', async () => {
    const port = new URL(dev.url).port;
    const post = (host: string, origin = `http://${host}`) =>
      requestWithHost(`${dev.url}/app/dev-token`, {
        method: 'POST',
        host,
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ role: 'sales' }),
      });
    // The attacker's page is same-origin with itself (Origin and Host agree), so only the Host tells.
    for (const host of [
      `attacker.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.attacker.example:${port}`,
      `127.1:${port}`,
    ]) {
      const refused = await post(host);
      expect(refused.status, host).toBe(421);
      expect(refused.text).not.toContain('eyJ');
      expect(JSON.parse(refused.text)).toEqual({
        errors: [
          {
            message: expect.stringMatching(/only on 127\.0\.0\.1, localhost, \[::1\] \(DEV_TOKEN_HOSTS\)/),
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'localhost']) {
      const allowed = await post(host);
      expect(allowed.status, host).toBe(200);
      expect(decodeJwt((JSON.parse(allowed.text) as { token: string }).token).role).toBe('sales');
    }
  });

  it('offers the one-click sign-in only on a Host that gets tokens; DEV_TOKEN_HOSTS replaces the loopback names', async () => {
    const port = new URL(dev.url).port;
    const rebound = await requestWithHost(`${dev.url}/app`, { host: `attacker.example:${port}` });
    expect(pageConfig(rebound.text)).toMatchObject({ devTokenEndpoint: null, devRoles: [], devPartners: [] });

    const app = express();
    app.use(
      consoleRouter(
        '/graphql',
        { auth: { devIssuer: true, issuers: [], clockSkewS: 60 }, dataDir: temp.path, devTokenHosts: ['dev.example'] },
        { distDir: built },
      ),
    );
    const custom = await listen(app, { host: '127.0.0.1', port: 0 });
    servers.push(custom);
    const body = JSON.stringify({ role: 'sales' });
    const headers = { 'content-type': 'application/json' };
    expect(
      (
        await requestWithHost(`${custom.url}/app/dev-token`, {
          method: 'POST',
          host: 'dev.example:4000',
          headers,
          body,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await requestWithHost(`${custom.url}/app/dev-token`, {
          method: 'POST',
          host: `127.0.0.1:${new URL(custom.url).port}`,
          headers,
          body,
        })
      ).status,
    ).toBe(421);
  });

  it('does not exist when the gateway trusts real issuers only', async () => {
    const response = await postJson(`${production.url}/app/dev-token`, { role: 'sales' });
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).not.toContain('eyJ');
  });
});
