// GraphiQL as a developer meets it: Debian's Chromium, driven by playwright-core, opens the page the
// gateway serves with every request to anything but the gateway blocked (our users' IDE has no
// internet), runs the preloaded customer-360 operation and must show the account's data.
// Screenshots land in test-results/ as artifacts.
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startStack, type InProcessStack } from '../../../stack/in-process.js';
import { generateDataset } from '../../../emulators/seed/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-results';

let stack: InProcessStack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({ seedAccounts: 20 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Flags this machine's closed network needs (env notes): no background calls home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('GraphiQL served by the gateway', () => {
  it('loads offline, runs the preloaded customer-360 query and shows the data', async () => {
    const gatewayOrigin = new URL(stack.gatewayUrl).origin;
    const c00001 = generateDataset({ accounts: 20 }).salesforce.Account.find((a) => a.ERP_Customer_Id__c === 'C00001')!;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();

    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(gatewayOrigin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(`${stack.gatewayUrl}/graphql`, { waitUntil: 'networkidle' });
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.graphiql-editor-tool .CodeMirror').first().textContent()).toContain('C00001');

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain(c00001.Name);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('"credit"');
    expect(text).toContain('"openInvoices"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: `${ARTIFACTS}/graphiql-customer360.png` });

    expect(blocked).toEqual([]);
    expect(consoleErrors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
    await context.close();
  });
});
