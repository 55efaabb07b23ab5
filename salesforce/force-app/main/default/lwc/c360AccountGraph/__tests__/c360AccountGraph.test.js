// The record page's customer 360 with C360AccountGraphController mocked: every state the component
// can be in (loading, shown, degraded, empty, not linked, not in the graph, no role, forbidden,
// failed and retried), what each role is offered, and the App/Home page's account picker.
import { createElement } from 'lwc';
import C360AccountGraph from 'c/c360AccountGraph';
import getAccount360 from '@salesforce/apex/C360AccountGraphController.getAccount360';
import {
  ACCOUNT_ID,
  FINANCE,
  SALES,
  SERVICE,
  account360,
  answer,
  auraFailure,
  credit,
  flushPromises,
  order,
  quote,
} from './graphAnswers';

jest.mock('@salesforce/apex/C360AccountGraphController.getAccount360', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/C360AccountGraphController.validateQuote', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/C360AccountGraphController.submitQuote', () => ({ default: jest.fn() }), { virtual: true });

function mount(props = { recordId: ACCOUNT_ID }) {
  const element = createElement('c-c360-account-graph', { is: C360AccountGraph });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.resetAllMocks();
});

describe('c-c360-account-graph', () => {
  it('shows a spinner while the graph is read, for the record in context', async () => {
    let resolve;
    getAccount360.mockReturnValue(new Promise((done) => (resolve = done)));
    const element = mount();
    await flushPromises();

    expect($(element, '[data-state="loading"] lightning-spinner')).not.toBeNull();
    expect(getAccount360).toHaveBeenCalledWith({ accountId: ACCOUNT_ID });
    expect($(element, '[data-id="picker"]')).toBeNull();

    resolve(answer(account360()));
    await flushPromises();
    expect($(element, '[data-state="loading"]')).toBeNull();
    expect($(element, '[data-state="ready"]')).not.toBeNull();
  });

  it('shows credit, open and overdue invoices, orders with shipments and tracking, and quotes', async () => {
    getAccount360.mockResolvedValue(answer(account360()));
    const element = mount();
    await flushPromises();

    expect(text($(element, '[data-id="subtitle"]'))).toBe('ERP customer C00001');
    expect(text($(element, '[data-id="role"]'))).toBe('Your role: sales');
    expect($(element, 'c-c360-credit-summary').credit.limit.amount).toBe('50000.00');

    expect(text($(element, '[data-id="invoice-summary"]'))).toBe('2 open, 1 overdue');
    const [overdue, open] = $$(element, 'tr[data-invoice]');
    expect(overdue.dataset.invoice).toBe('SI-100001');
    expect(overdue.className).toContain('c360-overdue');
    expect(text(overdue.querySelector('[data-id="invoice-state"]'))).toBe('29 days overdue');
    expect(text(open.querySelector('[data-id="invoice-state"]'))).toBe('Open');
    const remaining = overdue.querySelector('lightning-formatted-number');
    expect(remaining.value).toBe('1250.00');
    expect(remaining.currencyCode).toBe('EUR');

    const orders = $$(element, 'li[data-order]');
    expect(orders.map((node) => node.dataset.order)).toEqual(['SO-100001', 'SO-100002']);
    expect(text(orders[0].querySelector('[data-id="shipped"]'))).toBe('Fully shipped');
    expect(text(orders[1].querySelector('[data-id="shipped"]'))).toBe('Not shipped');
    const shipment = orders[0].querySelector('c-c360-shipment');
    expect(shipment.shipment.trackingNumber).toBe('JD014600006281230001');
    expect(text(shipment.shadowRoot.querySelector('[data-id="carrier"]'))).toBe('DHL');
    expect(text(shipment.shadowRoot.querySelector('[data-id="tracking"]'))).toBe('JD014600006281230001');

    const quoteRow = $(element, 'li[data-quote-id]');
    expect(text(quoteRow.querySelector('[data-id="erp-sync"]'))).toBe('ERP: Not Submitted');
    const submit = quoteRow.querySelector('c-c360-quote-submit');
    expect(submit.canSubmit).toBe(true);
    expect(submit.canValidate).toBe(true);
    expect($(element, '[data-id="degraded"]')).toBeNull();
  });

  it('says what is missing and what is stale when the ERP is down (ERP_UNAVAILABLE)', async () => {
    const degraded = account360({
      credit: null,
      openInvoices: null,
      orders: [order({ number: 'SO-100001', stale: true, asOf: '2026-03-01T08:00:00.000Z' })],
    });
    const problems = [
      { code: 'ERP_UNAVAILABLE', message: 'The ERP is unavailable.', path: ['account', 'credit'], fields: [] },
      { code: 'ERP_UNAVAILABLE', message: 'The ERP is unavailable.', path: ['account', 'openInvoices'], fields: [] },
    ];
    getAccount360.mockResolvedValue(answer(degraded, { problems }));
    const element = mount();
    await flushPromises();

    const banner = $(element, '[data-id="degraded"]');
    expect(text(banner)).toContain('Degraded: the ERP is unavailable.');
    const details = $$(element, '[data-id="degraded"] li').map(text);
    expect(details).toEqual([
      'Missing: Credit (ERP_UNAVAILABLE).',
      'Missing: Open invoices (ERP_UNAVAILABLE).',
      "Stale: Orders, as of 2026-03-01T08:00:00.000Z (from the graph's cache).",
    ]);
    expect(text(banner)).toContain('Correlation id: sf-005000000000001AAA-0123456789abcdef');
    expect($(element, '[data-id="credit-unavailable"]')).not.toBeNull();
    expect(text($(element, '[data-id="invoices"]'))).toContain('Not available right now.');
    expect($(element, '[data-id="order-stale"]')).not.toBeNull();
    // What could be read is still shown.
    expect($(element, 'li[data-order="SO-100001"]')).not.toBeNull();
  });

  it('flags credit served stale from the cache with its asOf, without anything missing', async () => {
    getAccount360.mockResolvedValue(
      answer(account360({ credit: credit({ stale: true, asOf: '2026-03-02T07:00:00.000Z' }) })),
    );
    const element = mount();
    await flushPromises();

    const banner = $(element, '[data-id="degraded"]');
    expect(text(banner)).toContain('Some of this comes from the graph’s cache and is older than usual');
    expect($$(element, '[data-id="degraded"] li').map(text)).toEqual([
      "Stale: Credit, as of 2026-03-02T07:00:00.000Z (from the graph's cache).",
    ]);
  });

  it('shows empty states: nothing open, no orders, no quotes', async () => {
    getAccount360.mockResolvedValue(answer(account360({ openInvoices: [], orders: [], quotes: [] })));
    const element = mount();
    await flushPromises();

    expect(text($(element, '[data-id="invoice-summary"]'))).toBe('0 open, 0 overdue');
    expect($(element, '[data-id="no-invoices"]')).not.toBeNull();
    expect($(element, '[data-id="no-orders"]')).not.toBeNull();
    expect($(element, '[data-id="no-quotes"]')).not.toBeNull();
  });

  it('explains an account without an ERP customer number, and still lists its quotes', async () => {
    getAccount360.mockResolvedValue(
      answer(account360({ erpCustomerNumber: null, credit: null, openInvoices: null, orders: null })),
    );
    const element = mount();
    await flushPromises();

    expect(text($(element, '[data-id="subtitle"]'))).toBe('No ERP customer number');
    expect($(element, '[data-id="not-linked"]')).not.toBeNull();
    expect($(element, '[data-id="credit"]')).toBeNull();
    expect($(element, '[data-id="degraded"]')).toBeNull();
    expect($(element, 'li[data-quote-id]')).not.toBeNull();
  });

  it('says so when the graph has no such account', async () => {
    getAccount360.mockResolvedValue(answer(null));
    const element = mount();
    await flushPromises();

    expect($(element, '[data-state="not-in-graph"]')).not.toBeNull();
    expect($(element, '[data-state="ready"]')).toBeNull();
  });

  it('shows the forbidden state, naming what the role may not read (FORBIDDEN)', async () => {
    getAccount360.mockRejectedValue(
      auraFailure('FORBIDDEN', {
        message: 'Your Customer 360 role may not do this (FORBIDDEN).',
        fields: ['Credit.limit', 'Account.quotes'],
      }),
    );
    const element = mount();
    await flushPromises();

    const forbidden = $(element, '[data-state="forbidden"]');
    expect(forbidden.dataset.code).toBe('FORBIDDEN');
    expect(text(forbidden)).toContain('Your Customer 360 role may not do this (FORBIDDEN).');
    expect(text($(element, '[data-id="forbidden-fields"]'))).toBe('Not for your role: Credit.limit, Account.quotes');
    expect($(element, '[data-state="failed"]')).toBeNull();
  });

  it('shows the forbidden state to a user without a Customer 360 role (NO_ROLE)', async () => {
    getAccount360.mockRejectedValue(auraFailure('NO_ROLE', { message: 'You have no Customer 360 role (NO_ROLE).' }));
    const element = mount();
    await flushPromises();

    expect($(element, '[data-state="forbidden"]').dataset.code).toBe('NO_ROLE');
  });

  it('shows a failure with its correlation id, and Retry reads again', async () => {
    getAccount360.mockRejectedValueOnce(
      auraFailure('NETWORK_ERROR', {
        message: 'The graph could not be reached (NETWORK_ERROR).',
        detail: 'Read timed out',
      }),
    );
    getAccount360.mockResolvedValueOnce(answer(account360()));
    const element = mount();
    await flushPromises();

    const failed = $(element, '[data-state="failed"]');
    expect(failed.dataset.code).toBe('NETWORK_ERROR');
    expect(text(failed)).toContain('The graph could not be reached (NETWORK_ERROR).');
    expect(text(failed)).toContain('Read timed out');
    expect(text(failed)).toContain('Correlation id: sf-005000000000001AAA-0123456789abcdef');

    $(element, '[data-id="retry"]').dispatchEvent(new CustomEvent('click'));
    await flushPromises();
    expect(getAccount360).toHaveBeenCalledTimes(2);
    expect($(element, '[data-state="ready"]')).not.toBeNull();
  });

  it('reports a platform error that is not a graph failure as unexpected', async () => {
    getAccount360.mockRejectedValue({ body: { message: 'Unable to connect to the server.' } });
    const element = mount();
    await flushPromises();

    const failed = $(element, '[data-state="failed"]');
    expect(failed.dataset.code).toBe('UNEXPECTED');
    expect(text(failed)).toContain('Unable to connect to the server.');
  });

  it('offers finance the ERP check only, and service neither check nor submission', async () => {
    getAccount360.mockResolvedValueOnce(answer(account360(), { viewer: FINANCE }));
    let element = mount();
    await flushPromises();
    const submit = $(element, 'c-c360-quote-submit');
    expect(submit.canValidate).toBe(true);
    expect(submit.canSubmit).toBe(false);
    document.body.removeChild(element);

    getAccount360.mockResolvedValueOnce(answer(account360(), { viewer: SERVICE }));
    element = mount();
    await flushPromises();
    expect($(element, 'c-c360-quote-submit')).toBeNull();
    expect($(element, 'li[data-quote-id]')).not.toBeNull();
  });

  it("shows a submitted quote's ERP order at once and reads the account again", async () => {
    getAccount360.mockResolvedValue(answer(account360({ quotes: [quote()] }), { viewer: SALES }));
    const element = mount();
    await flushPromises();

    const quoteRow = $(element, 'li[data-quote-id]');
    quoteRow.querySelector('c-c360-quote-submit').dispatchEvent(
      new CustomEvent('quotesettled', {
        bubbles: true,
        composed: true,
        detail: {
          quoteId: quote().id,
          status: 'ACCEPTED_BY_ERP',
          erpSync: { orderNumber: 'SO-100003', status: 'Accepted' },
        },
      }),
    );
    await flushPromises();

    expect(getAccount360).toHaveBeenCalledTimes(2);
    expect(text($(element, '[data-id="erp-sync"]'))).toBe('ERP: Accepted · SO-100003');
    // A quiet reload: the page never went back to the spinner.
    expect($(element, '[data-state="ready"]')).not.toBeNull();
  });

  it('on App and Home pages, lets the user pick the account first', async () => {
    getAccount360.mockResolvedValue(answer(account360()));
    const element = mount({});
    await flushPromises();

    expect(getAccount360).not.toHaveBeenCalled();
    expect($(element, '[data-state="idle"]')).not.toBeNull();
    const picker = $(element, '[data-id="picker"]');
    expect(picker.objectApiName).toBe('Account');

    picker.dispatchEvent(new CustomEvent('change', { detail: { recordId: ACCOUNT_ID } }));
    await flushPromises();
    expect(getAccount360).toHaveBeenCalledWith({ accountId: ACCOUNT_ID });
    expect($(element, '[data-state="ready"]')).not.toBeNull();
  });

  it('drops an answer for an account the page has already left', async () => {
    let first;
    getAccount360.mockReturnValueOnce(new Promise((done) => (first = done)));
    getAccount360.mockResolvedValueOnce(answer(account360({ name: 'Second', erpCustomerNumber: 'C00002' })));
    const element = mount();
    await flushPromises();
    element.recordId = '001000000000002AAA';
    await flushPromises();
    first(answer(account360({ erpCustomerNumber: 'C00001' })));
    await flushPromises();

    expect(text($(element, '[data-id="subtitle"]'))).toBe('ERP customer C00002');
  });
});
