// Debian's Chromium driven by playwright-core for the console's browser tests, with every request to
// anything but the gateway blocked (the console must need nothing else), console errors collected,
// and screenshots saved under test-results/ as artifacts (their paths are printed).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = 'test-results';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
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
}

export interface OfflinePage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** URLs the page tried to reach outside the gateway (all refused). */
  readonly blocked: string[];
  /** console.error messages and uncaught exceptions of the page. */
  readonly errors: string[];
  /** Saves a full-page screenshot under test-results/ and prints its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function offlinePage(browser: Browser, gatewayUrl: string): Promise<OfflinePage> {
  const gatewayOrigin = new URL(gatewayUrl).origin;
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(gatewayOrigin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    blocked,
    errors,
    async screenshot(name) {
      const file = path.join(ARTIFACTS, name);
      await page.screenshot({ path: file, fullPage: true });
      process.stdout.write(`screenshot: ${path.resolve(file)}\n`);
      return file;
    },
    close: () => context.close(),
  };
}
