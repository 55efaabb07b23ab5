// GraphiQL's development tokens (gateway/graphiql.ts): with the embedded development issuer on, each
// page load carries fresh tokens, a sales token as the header editor's default and a P-NORTHWIND
// token in the partner-view tab's own headers; with real issuers the page carries no token at all.
import express from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerPublicJwks } from '../../gateway/auth/dev-issuer.js';
import { DEFAULT_DEV_TOKEN_HOSTS } from '../../gateway/auth/dev-token-hosts.js';
import { EXAMPLE_OPERATIONS } from '../../gateway/graphiql-examples.js';
import { graphiqlRouter } from '../../gateway/graphiql.js';
import { listen, type RunningServer } from '../../lib/http-server.js';
import { requestWithHost } from '../support/forged-host.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface PageConfig {
  endpoint: string;
  examples: { query: string; variables?: Record<string, unknown>; headers?: Record<string, string> }[];
  defaultHeaders?: Record<string, string>;
}

let temp: TempDir;
const servers: RunningServer[] = [];

async function serve(devIssuer: boolean): Promise<RunningServer> {
  const app = express();
  app.use(
    graphiqlRouter('/graphql', {
      auth: { devIssuer, issuers: [], clockSkewS: 60 },
      dataDir: temp.path,
      devTokenHosts: DEFAULT_DEV_TOKEN_HOSTS,
    }),
  );
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  servers.push(server);
  return server;
}

async function load(server: RunningServer): Promise<{ response: Response; html: string; config: PageConfig }> {
  const response = await fetch(`${server.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
  const html = await response.text();
  const config = JSON.parse(
    /<script type="application\/json" id="graphiql-config">([^<]*)<\/script>/.exec(html)![1]!,
  ) as PageConfig;
  return { response, html, config };
}

async function claimsOf(authorization: string | undefined) {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const jwks = createLocalJWKSet(await devIssuerPublicJwks(temp.path));
  return (await jwtVerify(authorization!.slice('Bearer '.length), jwks, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE }))
    .payload;
}

beforeAll(() => {
  temp = createTempDir('graphiql-tokens');
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  temp?.remove();
});

describe('GraphiQL with the development issuer on', () => {
  it('prefills the header editor with a sales token; the partner view carries a P-NORTHWIND token', async () => {
    const { response, config } = await load(await serve(true));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await claimsOf(config.defaultHeaders?.Authorization)).toMatchObject({ role: 'sales' });

    const partnerView = config.examples.find((example) => example.query.includes('query PartnerView'))!;
    expect(await claimsOf(partnerView.headers?.Authorization)).toMatchObject({
      role: 'partner',
      partner_id: 'P-NORTHWIND',
    });
    // Every other tab runs as the default identity: no headers of its own.
    expect(config.examples.filter((example) => example.headers).length).toBe(1);
  });

  it('opens with the example tabs: customer 360 first (C00001), validate and submit a quote, the partner view', async () => {
    const { config } = await load(await serve(true));
    expect(config.examples.map((example) => /(?:query|mutation) (\w+)/.exec(example.query)![1])).toEqual([
      'Customer360',
      'AccountsPage',
      'ValidateQuote',
      'SubmitQuote',
      'PartnerView',
    ]);
    expect(config.examples[0]!.variables).toEqual({ erp: 'C00001' });
    expect(config.examples.map((example) => example.query)).toEqual(EXAMPLE_OPERATIONS.map((example) => example.query));
  });

  it('mints fresh tokens for every page load', async () => {
    const server = await serve(true);
    const first = (await load(server)).config.defaultHeaders?.Authorization;
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // iat has one-second resolution
    expect((await load(server)).config.defaultHeaders?.Authorization).not.toBe(first);
  });
});

describe('GraphiQL on a Host that is not loopback (DNS rebinding)', () => {
  it('puts no token in the page, and says why in the header editor', async () => {
    const server = await serve(true);
    const { text, status } = await requestWithHost(`${server.url}/graphql`, {
      host: `attacker.example:${new URL(server.url).port}`,
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(status).toBe(200);
    expect(text).not.toMatch(/Bearer|eyJ/);
    const config = JSON.parse(
      /<script type="application\/json" id="graphiql-config">([^<]*)<\/script>/.exec(text)![1]!,
    ) as PageConfig;
    expect(config.examples.every((example) => example.headers === undefined)).toBe(true);
    expect(config.defaultHeaders).toEqual({
      'X-No-Development-Token': expect.stringMatching(/only on 127\.0\.0\.1, localhost, \[::1\] \(DEV_TOKEN_HOSTS\)/),
    });
    // [::1] and localhost are loopback too.
    for (const host of [`[::1]:${new URL(server.url).port}`, 'localhost']) {
      expect(
        (await requestWithHost(`${server.url}/graphql`, { host, headers: { accept: BROWSER_ACCEPT } })).text,
      ).toMatch(/Bearer eyJ/);
    }
  });
});

describe('GraphiQL with real issuers only', () => {
  it('puts no token in the page', async () => {
    const { html, config } = await load(await serve(false));
    expect(config.defaultHeaders).toBeUndefined();
    expect(config.examples.every((example) => example.headers === undefined)).toBe(true);
    expect(html).not.toMatch(/Bearer|eyJ/);
  });
});
