// GraphiQL as a developer meets it: Debian's Chromium, driven by playwright-core, opens the page the
// gateway serves with every request to anything but the gateway blocked (our users' IDE has no
// internet), runs the preloaded customer-360 operation with the development token the header editor
// is prefilled with, and must show the account's data; the partner-view tab runs with its own
// partner token. Screenshots land in test-results/ as artifacts.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The active tab's header editor, opened if it is not showing. */
async function headers(page: Page): Promise<string> {
  await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').first();
  await expect.poll(() => editor.textContent()).toContain('Authorization');
  // CodeMirror renders long lines in pieces; its API has the whole text.
  return editor.evaluate((node) => (node as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

function claimsOf(headersJson: string) {
  const authorization = (JSON.parse(headersJson) as { Authorization?: string }).Authorization ?? '';
  expect(authorization).toMatch(/^Bearer /);
  return decodeJwt(authorization.slice('Bearer '.length));
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  process.stdout.write(`screenshot: ${path.resolve(file)}\n`);
}

describe('GraphiQL served by the gateway', () => {
  it('loads offline, runs the preloaded customer-360 query with the prefilled token, and the partner view with its own', async () => {
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
    await expect
      .poll(() => page.locator('.graphiql-editor-tool .CodeMirror').first().textContent())
      .toContain('C00001');
    // The header editor holds a development token of the sales role (embedded default).
    expect(claimsOf(await headers(page))).toMatchObject({ role: 'sales', iss: 'urn:customer360:dev' });

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain(c00001.Name);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('"credit"');
    expect(text).toContain('"openInvoices"');
    expect(text).not.toContain('"errors"');
    await screenshot(page, 'graphiql-customer360.png');

    // The partner view runs with the partner token in its own tab's headers: C00001 is P-NORTHWIND's.
    await page.locator('.graphiql-tab', { hasText: 'PartnerView' }).click();
    expect(claimsOf(await headers(page))).toMatchObject({ role: 'partner', partner_id: 'P-NORTHWIND' });
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain('"erpCustomerNumber": "C00001"');
    const partnerText = (await result.textContent()) ?? '';
    expect(partnerText).toContain(c00001.Name);
    expect(partnerText).not.toContain('"errors"');
    await screenshot(page, 'graphiql-partner-view.png');

    // A later visit restores the tabs from localStorage, where tokens are never written: each tab
    // gets this page load's token again, the partner view its partner's.
    await page.waitForFunction(() => {
      const state = JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{"tabs":[]}') as {
        activeTabIndex: number;
        tabs: { title: string }[];
      };
      return state.tabs[state.activeTabIndex]?.title === 'PartnerView';
    });
    expect(
      await page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([, value]) => value.includes('Bearer'))
          .map(([key]) => key),
      ),
    ).toEqual([]);
    await page.reload({ waitUntil: 'networkidle' });
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 15_000 });
    expect(claimsOf(await headers(page))).toMatchObject({ role: 'partner', partner_id: 'P-NORTHWIND' });
    await page.locator('.graphiql-tab', { hasText: 'Customer360' }).click();
    expect(claimsOf(await headers(page))).toMatchObject({ role: 'sales' });

    expect(blocked).toEqual([]);
    expect(consoleErrors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
    await context.close();
  });
});
