// The Customer 360 console (app/, Lightning Web Components) as its users meet it: built from source
// with the LWC compiler (app/build.ts), served by the gateway at /app, driven in Debian's Chromium
// with the network to anything but the gateway blocked. A sales user signs in with a development
// token, searches, opens an account's 360 and submits a quote to the ERP — only a submittable one,
// after reading the ERP's verdict and confirming; the credit meter turns red past the limit; a
// partner sees its own account and never another partner's; a token the gateway refuses sends the
// user back to sign-in. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../../app/build.js';
import { generateDataset } from '../../../emulators/seed/index.js';
import { DEV_PARTNERS } from '../../../gateway/auth/dev-partners.js';
import { DEMO_QUOTE_ID } from '../../../gateway/graphiql-examples.js';
import { ERP_CACHE_KINDS } from '../../../shield/options.js';
import { startStack, type InProcessStack } from '../../../stack/in-process.js';
import { launchChromium, offlinePage } from './browser.js';

// The demo dataset of `npm start` (200 accounts): DEMO_QUOTE_ID is one of its quotes.
const dataset = generateDataset({ accounts: 200 });
const accountById = new Map(dataset.salesforce.Account.map((account) => [account.Id, account]));
const byErpNumber = (number: string) =>
  dataset.salesforce.Account.find((account) => account.ERP_Customer_Id__c === number)!;

let stack: InProcessStack;
let browser: Browser;

beforeAll(async () => {
  // Built here from the current sources, so a fresh clone (no app/dist) runs this test as it is.
  await buildApp();
  // A first submitQuote opens the ERP subgraph's embedded store (PGlite): on a busy two-core CI
  // machine that alone can pass the gateway's default 15 s subgraph deadline.
  stack = await startStack({ subgraphTimeoutMs: 60_000 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function graphql(role: 'sales', query: string, variables: Record<string, unknown>, on: InProcessStack = stack) {
  const response = await fetch(`${on.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await on.token({ role })}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Opens /app and signs in with the development issuer's button for a role or a demo partner. */
async function signIn(page: Page, choice: { role: string } | { partnerId: string }, on: InProcessStack = stack) {
  await page.goto(`${on.gatewayUrl}/app`, { waitUntil: 'networkidle' });
  const selector =
    'role' in choice ? `button[data-role="${choice.role}"]` : `button[data-partner="${choice.partnerId}"]`;
  await page.locator(selector).click();
  await page.locator('c360-account-search input[name="q"]').waitFor();
}

async function search(page: Page, text: string) {
  await page.locator('c360-account-search input[name="q"]').fill(text);
  await page.locator('c360-account-search input[name="q"]').press('Enter');
  // The query goes into the URL (so back returns to it); then the results for it show.
  await page.waitForURL((url) => url.hash === `#/search?q=${encodeURIComponent(text)}`);
  await page.locator('c360-account-search a.account-link', { hasText: text }).first().waitFor();
}

/** The quote's ERP sync fields as the graph has them now. */
async function stackQuoteSync(id: string) {
  return (await graphql('sales', 'query ($id: ID!) { quote(id: $id) { erpSync { status orderNumber } } }', { id }))
    .quote.erpSync;
}

async function accountState(page: Page): Promise<string> {
  const state = page.locator('c360-account360 [data-state]').first();
  await state.waitFor({ timeout: 15_000 });
  return (await state.getAttribute('data-state'))!;
}

describe('the Customer 360 console at /app', () => {
  it('signs in as sales, searches, shows an account’s 360 and submits a quote: ACCEPTED_BY_ERP', async () => {
    const quote = dataset.salesforce.Quote.find((q) => q.Id === DEMO_QUOTE_ID)!;
    const account = accountById.get(quote.AccountId)!;
    // What the graph says about this account, to hold the screen to.
    const expected = (
      await graphql(
        'sales',
        `
          query ($id: ID!) {
            account(id: $id) {
              credit {
                onHold
              }
              openInvoices {
                number
                isOverdue
              }
              orders {
                number
                shipments {
                  trackingNumber
                }
              }
            }
          }
        `,
        { id: account.Id },
      )
    ).account;
    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;
    // The idempotency key of every submission the page sends.
    const submittedKeys: string[] = [];
    page.on('request', (request) => {
      const body = request.method() === 'POST' && request.url().endsWith('/graphql') ? request.postDataJSON() : null;
      if (body?.operationName === 'ConsoleSubmitQuote') submittedKeys.push(body.variables.idempotencyKey);
    });

    await signIn(page, { role: 'sales' });
    expect(await page.locator('[data-id="who"]').textContent()).toContain('sales');

    await search(page, account.Name);
    const link = page.locator('c360-account-search a.account-link', { hasText: account.Name }).first();
    await link.click();
    expect(await accountState(page)).toBe('ready');
    expect(page.url()).toContain(`#/accounts/${account.Id}`);
    expect(await page.locator('[data-id="account-name"]').textContent()).toBe(account.Name);

    // The credit meter, the open invoices (overdue ones marked), orders with shipments and tracking.
    await expect.poll(() => page.locator('c360-credit-meter meter').count()).toBe(1);
    expect(await page.locator('c360-credit-meter [data-id="available"]').textContent()).toMatch(/\d/);
    const invoiceRows = page.locator('[data-id="invoices"] tbody tr');
    expect(await invoiceRows.count()).toBe(expected.openInvoices.length);
    expect(await page.locator('[data-id="invoices"] tbody tr.overdue').count()).toBe(
      expected.openInvoices.filter((i: any) => i.isOverdue).length,
    );
    const orderNumbers = await page
      .locator('[data-id="orders"] [data-order]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-order')));
    expect(orderNumbers).toEqual(expected.orders.map((o: any) => o.number));
    const trackingNumbers = expected.orders
      .flatMap((o: any) => o.shipments.map((s: any) => s.trackingNumber))
      .filter(Boolean);
    const shownTracking = await page.locator('[data-id="orders"] [data-id="tracking"]').allTextContents();
    for (const tracking of trackingNumbers) expect(shownTracking).toContain(tracking);
    await browserPage.screenshot('console-account-360.png');

    // Only the submittable (Approved) quote offers "Submit to ERP"; the others say why, or show their order.
    for (const other of dataset.salesforce.Quote.filter((q) => q.AccountId === account.Id && q.Id !== DEMO_QUOTE_ID)) {
      const otherRow = page.locator(`tr[data-quote-id="${other.Id}"]`);
      expect(await otherRow.locator('[data-id="submit-quote"]').count()).toBe(0);
      if (other.ERP_Order_Number__c === null)
        expect(await otherRow.locator('[data-id="not-submittable"]').textContent()).toBe(
          `Not submittable while ${other.Status}`,
        );
    }

    // Submit the demo quote: the ERP's verdict first, line by line, and nothing is sent before the
    // confirmation. A client-generated key, kept in sessionStorage until the final status.
    const row = page.locator(`tr[data-quote-id="${DEMO_QUOTE_ID}"]`);
    const outcome = row.locator('[data-id="submit-outcome"]');
    const failure = row.locator('c360-status-banner [data-kind]');
    await row.locator('[data-id="submit-quote"]').click();
    const verdict = row.locator('[data-id="quote-verdict"]');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('ACCEPTABLE');
    expect(await verdict.locator('tr[data-line]').count()).toBe(
      dataset.salesforce.QuoteLineItem.filter((line) => line.QuoteId === DEMO_QUOTE_ID).length,
    );
    expect(await verdict.locator('[data-id="line-check"]').allTextContents()).toEqual(expect.arrayContaining(['OK']));
    expect(await verdict.locator('[data-id="verdict-credit"]').textContent()).toMatch(/^Credit: /);
    expect(submittedKeys).toEqual([]);
    await browserPage.screenshot('console-quote-verdict.png');
    await row.locator('[data-id="confirm-submit"]').click();
    for (let attempt = 1; ; attempt++) {
      await outcome.or(failure).first().waitFor({ timeout: 60_000 });
      if ((await outcome.count()) > 0) break;
      // On a starved machine the first try may come back as "still running" (its lease ran out) or
      // the ERP too slow: the console then offers a retry, which must send the same key.
      const text = (await failure.first().textContent()) ?? '';
      if (attempt === 3 || !/IDEMPOTENCY_KEY_IN_PROGRESS|ERP_UNAVAILABLE|could not be reached|No answer/.test(text)) {
        throw new Error(`the submission failed: ${text}`);
      }
      expect(await page.evaluate((id) => sessionStorage.getItem(`c360:submitQuote:${id}`), DEMO_QUOTE_ID)).toBe(
        submittedKeys[0],
      );
      await row.locator('[data-id="submit-quote"]').click();
    }
    expect(submittedKeys.length).toBeGreaterThan(0);
    expect(submittedKeys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(submittedKeys).size).toBe(1);
    expect(await outcome.getAttribute('data-status')).toBe('ACCEPTED_BY_ERP');
    expect(await outcome.locator('.status').textContent()).toBe('ACCEPTED_BY_ERP');
    const synced = (
      await graphql(
        'sales',
        `
          query ($id: ID!) {
            quote(id: $id) {
              erpSync {
                orderNumber
                status
              }
            }
          }
        `,
        { id: DEMO_QUOTE_ID },
      )
    ).quote;
    expect(synced.erpSync.status).toBe('Accepted');
    expect(await outcome.locator('[data-id="order-number"]').textContent()).toBe(synced.erpSync.orderNumber);
    expect(await page.evaluate((id) => sessionStorage.getItem(`c360:submitQuote:${id}`), DEMO_QUOTE_ID)).toBeNull();
    expect(await row.locator('td').nth(4).textContent()).toBe(`Accepted · ${synced.erpSync.orderNumber}`);
    // The 360 reloads after a final status: the new order is listed.
    await expect
      .poll(() => page.locator(`[data-id="orders"] [data-order="${synced.erpSync.orderNumber}"]`).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await browserPage.screenshot('console-quote-accepted.png');

    expect(browserPage.blocked).toEqual([]);
    expect(browserPage.errors).toEqual([]);
    await browserPage.close();
  }, 240_000);

  it('validate, then confirm: a refused quote shows why line by line and cannot be confirmed; an acceptable one is ordered only after "Create ERP order"', async () => {
    // Approved, never submitted quotes of the demo data, as the ERP judges them now.
    const approved = dataset.salesforce.Quote.filter(
      (q) => q.Status === 'Approved' && q.ERP_Sync_Status__c === 'Not Submitted' && q.Id !== DEMO_QUOTE_ID,
    );
    const verdicts = new Map<string, { verdict: string; lines: { reasonCodes: string[] }[] }>();
    for (const quote of approved.slice(0, 25)) {
      verdicts.set(
        quote.Id,
        (
          await graphql('sales', 'query ($id: ID!) { validateQuote(quoteId: $id) { verdict lines { reasonCodes } } }', {
            id: quote.Id,
          })
        ).validateQuote,
      );
    }
    const refused = approved.find(
      (q) =>
        verdicts.get(q.Id)?.verdict === 'REJECTED' &&
        verdicts.get(q.Id)!.lines.some((line) => line.reasonCodes.length > 0),
    )!;
    const acceptable = approved.find(
      (q) => verdicts.get(q.Id)?.verdict === 'ACCEPTABLE' && q.AccountId !== refused.AccountId,
    )!;
    expect(refused && acceptable).toBeTruthy();

    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;
    const sent: string[] = [];
    page.on('request', (request) => {
      const body = request.method() === 'POST' && request.url().endsWith('/graphql') ? request.postDataJSON() : null;
      if (body?.operationName) sent.push(body.operationName);
    });
    await signIn(page, { role: 'sales' });

    // Refused: the verdict with its reasons, the failing lines marked, no confirmation to press.
    await page.goto(`${stack.gatewayUrl}/app#/accounts/${refused.AccountId}`);
    expect(await accountState(page)).toBe('ready');
    const refusedRow = page.locator(`tr[data-quote-id="${refused.Id}"]`);
    await refusedRow.locator('[data-id="submit-quote"]').click();
    const refusedVerdict = refusedRow.locator('[data-id="quote-verdict"]');
    await refusedVerdict.waitFor({ timeout: 60_000 });
    expect(await refusedVerdict.getAttribute('data-verdict')).toBe('REJECTED');
    expect(await refusedVerdict.locator('.headline').textContent()).toBe('The ERP would not accept this quote.');
    expect(await refusedVerdict.locator('.reasons li').count()).toBeGreaterThan(0);
    const checks = await refusedVerdict.locator('[data-id="line-check"]').allTextContents();
    expect(checks).toEqual(
      verdicts
        .get(refused.Id)!
        .lines.map((line) => (line.reasonCodes.length === 0 ? 'OK' : line.reasonCodes.join(', '))),
    );
    expect(await refusedVerdict.locator('tr.problem').count()).toBe(checks.filter((check) => check !== 'OK').length);
    expect(await refusedRow.locator('[data-id="confirm-submit"]').count()).toBe(0);
    await browserPage.screenshot('console-quote-verdict-refused.png');
    await refusedRow.locator('[data-id="cancel-submit"]').click();
    expect(await refusedRow.locator('[data-id="quote-verdict"]').count()).toBe(0);
    expect(sent).not.toContain('ConsoleSubmitQuote');
    await expect(stackQuoteSync(refused.Id)).resolves.toMatchObject({ status: 'Not Submitted' });

    // Acceptable: cancelling the review sends nothing; confirming it creates the one order.
    await page.goto(`${stack.gatewayUrl}/app#/accounts/${acceptable.AccountId}`);
    expect(await accountState(page)).toBe('ready');
    const row = page.locator(`tr[data-quote-id="${acceptable.Id}"]`);
    await row.locator('[data-id="submit-quote"]').click();
    await row.locator('[data-id="quote-verdict"][data-verdict="ACCEPTABLE"]').waitFor({ timeout: 60_000 });
    await row.locator('[data-id="cancel-submit"]').click();
    expect(sent).not.toContain('ConsoleSubmitQuote');
    expect(await row.locator('[data-id="submit-quote"]').textContent()).toBe('Submit to ERP');
    await row.locator('[data-id="submit-quote"]').click();
    await row.locator('[data-id="quote-verdict"][data-verdict="ACCEPTABLE"]').waitFor({ timeout: 60_000 });
    expect(sent.filter((name) => name === 'ConsoleValidateQuote')).toHaveLength(3);
    await row.locator('[data-id="confirm-submit"]').click();
    await row.locator('[data-id="submit-outcome"]').waitFor({ timeout: 60_000 });
    expect(await row.locator('[data-id="submit-outcome"]').getAttribute('data-status')).toMatch(
      /ACCEPTED_BY_ERP|PENDING_ERP|RETRY_REQUIRED/,
    );
    expect(sent.filter((name) => name === 'ConsoleSubmitQuote').length).toBeGreaterThanOrEqual(1);

    expect(browserPage.blocked).toEqual([]);
    expect(browserPage.errors).toEqual([]);
    await browserPage.close();
  }, 240_000);

  it('the credit meter turns red above the limit and says by how much', async () => {
    const customer = dataset.erp.customers.find((c) => c.number === 'C00002')!;
    const account = byErpNumber(customer.number);
    const { credit } = (
      await graphql(
        'sales',
        'query ($id: ID!) { account(id: $id) { credit { limit { amount } available { amount currency } } } }',
        { id: account.Id },
      )
    ).account;
    expect(Number(credit.available.amount)).toBeLessThan(0);
    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;
    await signIn(page, { role: 'sales' });
    await page.goto(`${stack.gatewayUrl}/app#/accounts/${account.Id}`);
    expect(await accountState(page)).toBe('ready');
    const meter = page.locator('c360-credit-meter meter');
    await meter.waitFor();
    expect(await meter.getAttribute('data-level')).toBe('red');
    // Past `high` (the limit) with the optimum at 0: the meter's "even less good" region, drawn red.
    const regions = await meter.evaluate((node: HTMLMeterElement) => ({
      value: node.value,
      high: node.high,
      low: node.low,
      optimum: node.optimum,
    }));
    expect(regions.value).toBeGreaterThan(regions.high);
    expect(regions.high).toBe(Number(credit.limit.amount));
    expect(regions.optimum).toBeLessThan(regions.low);
    const over = new Intl.NumberFormat(undefined, { style: 'currency', currency: credit.available.currency }).format(
      -Number(credit.available.amount),
    );
    expect(await page.locator('c360-credit-meter [data-id="over-limit"]').textContent()).toBe(`Over limit by ${over}`);
    expect(await page.locator('c360-credit-meter .percent').textContent()).toMatch(/^\d{3,}% of the limit used$/);
    await browserPage.screenshot('console-credit-over-limit.png');
    expect(browserPage.errors).toEqual([]);
    await browserPage.close();
  }, 120_000);

  it('a P-NORTHWIND session opens its own account, but another partner’s account is not found, never shown', async () => {
    const own = byErpNumber('C00001');
    const foreign = byErpNumber(DEV_PARTNERS['P-CONTOSO']![0]!);
    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;

    await signIn(page, { partnerId: 'P-NORTHWIND' });
    expect(await page.locator('[data-id="who"]').textContent()).toContain('partner P-NORTHWIND');
    // Everything the partner can find (the opening search lists all it may see) is in its scope.
    await page.locator('c360-account-search [data-id="results"]').waitFor();
    const found = await page
      .locator('c360-account-search a.account-link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('data-account-id')));
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) expect(DEV_PARTNERS['P-NORTHWIND']).toContain(accountById.get(id!)!.ERP_Customer_Id__c);
    expect(found).not.toContain(foreign.Id);

    await page.locator(`a.account-link[data-account-id="${own.Id}"]`).click();
    expect(await accountState(page)).toBe('ready');
    expect(await page.locator('[data-id="account-name"]').textContent()).toBe(own.Name);
    // No credit internals for a partner: no meter, only the hold flag and payment terms.
    expect(await page.locator('c360-credit-meter').count()).toBe(0);
    expect(await page.locator('[data-id="partner-credit"]').textContent()).toMatch(/hold/i);
    expect(await page.locator('[data-id="quotes"]').count()).toBe(0);
    await browserPage.screenshot('console-partner-own-account.png');

    // Straight to another partner's account by its URL.
    await page.goto(`${stack.gatewayUrl}/app#/accounts/${foreign.Id}`, { waitUntil: 'networkidle' });
    expect(await accountState(page)).toBe('not-found');
    expect(await pageText(page)).not.toContain(foreign.Name);
    await browserPage.screenshot('console-partner-foreign-account.png');

    expect(browserPage.blocked).toEqual([]);
    expect(browserPage.errors).toEqual([]);
    await browserPage.close();
  }, 60_000);

  it('typing while the opening search still loads keeps what was typed', async () => {
    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;
    // Hold every search's answer back a moment, so the typing happens while it loads.
    await page.route('**/graphql', async (route) => {
      if (route.request().postDataJSON()?.operationName === 'ConsoleSearchAccounts')
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.fallback();
    });
    await page.goto(`${stack.gatewayUrl}/app`, { waitUntil: 'networkidle' });
    await page.locator('button[data-role="sales"]').click();
    const input = page.locator('c360-account-search input[name="q"]');
    await input.fill('Lang');
    await page.locator('c360-account-search [data-id="results"]').waitFor();
    expect(await input.inputValue()).toBe('Lang');
    await browserPage.close();
  }, 60_000);

  it('a token the gateway refuses ends the session: back to sign-in, saying why', async () => {
    const browserPage = await offlinePage(browser, stack.gatewayUrl);
    const { page } = browserPage;
    await page.goto(`${stack.gatewayUrl}/app`, { waitUntil: 'networkidle' });
    // Well-formed, but signed by nobody the gateway trusts.
    const claims = Buffer.from(
      JSON.stringify({ sub: 'mallory', role: 'sales', exp: Math.floor(Date.now() / 1000) + 3600 }),
    ).toString('base64url');
    await page.locator('c360-sign-in textarea[name="token"]').fill(`eyJhbGciOiJFUzI1NiJ9.${claims}.c2lnbmF0dXJl`);
    await page.locator('c360-sign-in button[type="submit"]').click();

    await page.locator('c360-sign-in').waitFor();
    const notice = page.locator('c360-console c360-status-banner [data-kind="warning"]').first();
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/session has ended/i);
    expect(await page.evaluate(() => sessionStorage.getItem('c360:session'))).toBeNull();
    await browserPage.screenshot('console-unauthenticated.png');

    expect(browserPage.blocked).toEqual([]);
    // The browser logs the 401 itself; nothing else may fail.
    expect(browserPage.errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    await browserPage.close();
  }, 60_000);
});

describe('the console when the ERP is down (short cache TTLs)', () => {
  const SEED_ACCOUNTS = 60;
  const small = generateDataset({ accounts: SEED_ACCOUNTS });
  // Accounts with credit, orders and shipments in the ERP; quotes that were never submitted.
  const withHistory = small.salesforce.Account.filter(
    (account) =>
      small.erp.salesOrders.some((order) => order.customerNumber === account.ERP_Customer_Id__c) &&
      small.erp.salesShipments.some((shipment) => shipment.customerNumber === account.ERP_Customer_Id__c),
  );
  let degraded: InProcessStack;

  beforeAll(async () => {
    degraded = await startStack({
      seedAccounts: SEED_ACCOUNTS,
      subgraphTimeoutMs: 60_000,
      subgraphEnv: {
        // ERP entries are stale 1 ms after they are read: with the ERP down they are served stale.
        SHIELD_CACHE_TTLS_MS: JSON.stringify(Object.fromEntries(ERP_CACHE_KINDS.map((kind) => [kind, 1]))),
        SHIELD_BREAKER_FAILURES: '3',
        SHIELD_BREAKER_HALF_OPEN_MS: '1500',
        READINESS_CHECK_INTERVAL_S: '1',
        SHIELD_READ_TIMEOUT_MS: '2000',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await degraded?.close();
  });

  async function erpFaults(faults: Record<string, unknown>) {
    const response = await fetch(`${degraded.erpEmulatorUrl}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
  }

  async function erpReady() {
    await expect
      .poll(
        async () => {
          // Its own status: 200 also means degraded (serving from the cache while the ERP is down).
          const response = await fetch(`${degraded.erpSubgraphUrl}/readyz`);
          return ((await response.json()) as { status: string }).status;
        },
        { timeout: 20_000 },
      )
      .toBe('ready');
  }

  /** An unsubmitted quote the ERP accepts now, on an account other than `besides`. */
  async function acceptableQuote(besides: ReadonlySet<string>) {
    for (const quote of small.salesforce.Quote.filter(
      (q) => q.ERP_Sync_Status__c === 'Not Submitted' && !besides.has(q.AccountId),
    )) {
      const data = await graphql(
        'sales',
        `
          query ($id: ID!) {
            validateQuote(quoteId: $id) {
              verdict
            }
          }
        `,
        { id: quote.Id },
        degraded,
      );
      if (data.validateQuote.verdict === 'ACCEPTABLE') return quote;
    }
    throw new Error('no acceptable quote in the dataset');
  }

  it('shows stale and missing ERP data with a banner, and a submission retried after RETRY_REQUIRED keeps its key', async () => {
    const [warm, cold] = withHistory;
    const quote = await acceptableQuote(new Set([warm!.Id, cold!.Id]));
    const browserPage = await offlinePage(browser, degraded.gatewayUrl);
    const { page } = browserPage;
    const submittedKeys: string[] = [];
    page.on('request', (request) => {
      const body = request.method() === 'POST' && request.url().endsWith('/graphql') ? request.postDataJSON() : null;
      if (body?.operationName === 'ConsoleSubmitQuote') submittedKeys.push(body.variables.idempotencyKey);
    });
    await signIn(page, { role: 'sales' }, degraded);

    // Read once while the ERP is up, then the ERP goes down: the same account comes from the cache, stale.
    await page.goto(`${degraded.gatewayUrl}/app#/accounts/${warm!.Id}`);
    expect(await accountState(page)).toBe('ready');
    expect(await page.locator('c360-account360 c360-status-banner').count()).toBe(0);
    await erpFaults({ outage: true });
    await page.reload({ waitUntil: 'networkidle' });
    expect(await accountState(page)).toBe('ready');
    const staleBanner = page.locator('c360-account360 c360-status-banner [data-kind="warning"]').first();
    await staleBanner.waitFor();
    expect(await staleBanner.textContent()).toMatch(/Stale: credit, as of/);
    expect(await page.locator('[data-id="account-name"]').textContent()).toBe(warm!.Name);
    expect(await page.locator('c360-credit-meter meter').count()).toBe(1);
    await browserPage.screenshot('console-degraded-stale.png');

    // Never read before: the ERP's parts are missing, named in the banner; Salesforce's are there.
    await page.goto(`${degraded.gatewayUrl}/app#/accounts/${cold!.Id}`);
    expect(await accountState(page)).toBe('ready');
    const missingBanner = page.locator('c360-account360 c360-status-banner [data-kind="warning"]').first();
    await missingBanner.waitFor();
    expect(await missingBanner.textContent()).toMatch(/Degraded: the ERP is unavailable/);
    expect(await missingBanner.textContent()).toMatch(/Missing: credit \(ERP_UNAVAILABLE\)/);
    expect(await page.locator('[data-id="account-name"]').textContent()).toBe(cold!.Name);
    await browserPage.screenshot('console-degraded-missing.png');

    // Submitting while the ERP is down: the quote cannot be checked, so nothing is offered or sent.
    await page.goto(`${degraded.gatewayUrl}/app#/accounts/${quote.AccountId}`);
    expect(await accountState(page)).toBe('ready');
    const row = page.locator(`tr[data-quote-id="${quote.Id}"]`);
    const outcome = row.locator('[data-id="submit-outcome"]');
    await row.locator('[data-id="submit-quote"]').click();
    const unchecked = row.locator('c360-status-banner [data-kind]').first();
    await unchecked.waitFor({ timeout: 60_000 });
    expect(await unchecked.textContent()).toMatch(/ERP_UNAVAILABLE/);
    expect(await row.locator('[data-id="confirm-submit"]').count()).toBe(0);
    expect(submittedKeys).toEqual([]);

    // The ERP is back for the check, and down again when the user confirms: nothing is sent,
    // RETRY_REQUIRED, and the key is kept.
    await erpFaults({});
    await erpReady();
    await row.locator('[data-id="submit-quote"]').click();
    await row.locator('[data-id="quote-verdict"][data-verdict="ACCEPTABLE"]').waitFor({ timeout: 60_000 });
    await erpFaults({ outage: true });
    await row.locator('[data-id="confirm-submit"]').click();
    await outcome.or(row.locator('c360-status-banner [data-kind]')).first().waitFor({ timeout: 60_000 });
    const firstAnswer =
      (await outcome.count()) > 0
        ? await outcome.getAttribute('data-status')
        : await row.locator('c360-status-banner [data-kind]').textContent();
    expect(firstAnswer).toMatch(/RETRY_REQUIRED|ERP_UNAVAILABLE/);
    const key = await page.evaluate((id) => sessionStorage.getItem(`c360:submitQuote:${id}`), quote.Id);
    expect(key).toBe(submittedKeys[0]);
    expect(await row.locator('[data-id="submit-quote"]').textContent()).toContain('Retry submission');
    await browserPage.screenshot('console-submit-retry-required.png');

    // The ERP is back: the retry sends the same key and the quote becomes an order.
    await erpFaults({});
    await erpReady();
    await row.locator('[data-id="submit-quote"]').click();
    await row.locator('[data-id="submit-outcome"][data-status="ACCEPTED_BY_ERP"]').waitFor({ timeout: 60_000 });
    expect(submittedKeys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(submittedKeys)).toEqual(new Set([key]));
    expect(await page.evaluate((id) => sessionStorage.getItem(`c360:submitQuote:${id}`), quote.Id)).toBeNull();
    await browserPage.screenshot('console-submit-retried-accepted.png');

    expect(browserPage.blocked).toEqual([]);
    expect(browserPage.errors).toEqual([]);
    await browserPage.close();
  }, 240_000);
});

/** All text of the page, inside the components' (open) shadow roots too. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let text = '';
    const walk = (node: Node) => {
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
      node.childNodes.forEach(walk);
    };
    walk(document.body);
    return text;
  });
}
