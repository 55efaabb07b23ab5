// GraphiQL served by the gateway itself, with nothing loaded from another origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/gateway-harness.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let harness: Harness;
let page: Response;
let html: string;
beforeAll(async () => {
  harness = await startHarness();
  page = await fetch(`${harness.gateway.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
  html = await page.text();
});
afterAll(async () => {
  await harness?.close();
});

/** src/href values of the page's <script> and <link> elements. */
function referencedUrls(document: string): string[] {
  return [...document.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
}

describe('GraphiQL page', () => {
  it('is served to browsers at GET /graphql', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<div id="graphiql">');
  });

  it('preloads the customer-360 example operation with C00001', () => {
    const config = JSON.parse(
      /<script type="application\/json" id="graphiql-config">([^<]*)<\/script>/.exec(html)![1]!,
    ) as {
      endpoint: string;
      examples: { query: string; variables?: Record<string, unknown> }[];
    };
    expect(config.endpoint).toBe('/graphql');
    expect(config.examples[0]!.query).toContain('query Customer360($erp: String!)');
    expect(config.examples[0]!.query).toContain('accountByErpNumber(erpCustomerNumber: $erp)');
    expect(config.examples[0]!.variables).toEqual({ erp: 'C00001' });
    expect(config.examples.some((example) => example.query.includes('accounts(first: 50'))).toBe(true);
  });

  it('has a CSP that allows scripts from this origin only, and no inline script', () => {
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]);
    expect(inlineScripts).toEqual([' type="application/json" id="graphiql-config"']);
  });

  it('references no other host', () => {
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+/i);
    const urls = referencedUrls(html);
    expect(urls.length).toBe(5); // stylesheet + react, react-dom, graphiql, init
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\//);
  });

  it('serves every referenced script and stylesheet with its type and a long cache lifetime', async () => {
    for (const url of referencedUrls(html)) {
      const response = await fetch(new URL(url, harness.gateway.url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(
        url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(response.headers.get('cache-control'), url).toMatch(/max-age=31536000.*immutable/);
      expect((await response.text()).length, url).toBeGreaterThan(500);
    }
  });

  it('serves the source map the GraphiQL bundle names', async () => {
    const script = referencedUrls(html).find((url) => url.endsWith('/graphiql.min.js'))!;
    const response = await fetch(new URL(`${script}.map`, harness.gateway.url));
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('answers an unknown asset with 404 JSON, and does not serve files outside the list', async () => {
    for (const url of [
      '/graphiql/assets/graphiql@3.8.2/package.json',
      '/graphiql/assets/../../package.json',
      '/graphiql/assets/x',
    ]) {
      const response = await fetch(new URL(url, harness.gateway.url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type'), url).toMatch(/^application\/json/);
      await response.body?.cancel();
    }
  });
});

describe('GraphQL stays GraphQL at /graphql', () => {
  it('POST /graphql executes', async () => {
    const response = await harness.graphql({ query: '{ __typename }' });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('GET /graphql?query=… from a browser executes instead of serving the page', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true', ...harness.authHeaders },
    });
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('GET /graphql preferring JSON does not get the page', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toMatch(/json/);
    await response.body?.cancel();
  });
});
