// The credit block: usage, the hold and over-limit states, Business Central's "no limit", and a
// stale asOf.
import { createElement } from 'lwc';
import C360CreditSummary from 'c/c360CreditSummary';
import { credit, money } from '../../c360AccountGraph/__tests__/graphAnswers';

function mount(value) {
  const element = createElement('c-c360-credit-summary', { is: C360CreditSummary });
  element.credit = value;
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-c360-credit-summary', () => {
  it('shows how much of the limit is used, with no alert when all is well', () => {
    const element = mount(credit());
    expect($(element, '[data-id="usage"]').value).toBe(40);
    expect(text($(element, '[data-id="usage-text"]'))).toBe('40% of the limit used');
    expect($(element, '[data-id="on-hold"]')).toBeNull();
    expect($(element, '[data-id="over-limit"]')).toBeNull();
    expect($(element, '[data-id="limit"]').value).toBe('50000.00');
    expect(text($(element, '[data-id="credit-as-of"]'))).toBe('As of');
    expect(text($(element, '[data-id="credit-as-of"]'))).not.toContain('Stale');
  });

  it('shows the hold with its reason', () => {
    const element = mount(credit({ onHold: true, holdReason: 'Blocked for all transactions' }));
    expect(text($(element, '[data-id="on-hold"]'))).toBe(
      'On hold: Blocked for all transactions. New orders will not ship.',
    );
  });

  it('shows how far over the limit the customer is', () => {
    const element = mount(
      credit({
        balance: money('45000.00'),
        openOrderExposure: money('9000.00'),
        available: money('-4000.00'),
        limit: money('50000.00'),
      }),
    );
    expect($(element, '[data-id="over-limit"]')).not.toBeNull();
    expect($(element, '[data-id="over-by"]').value).toBe(4000);
    expect($(element, '[data-id="over-by"]').currencyCode).toBe('EUR');
    expect($(element, '[data-id="available"]').className).toContain('slds-text-color_error');
    expect($(element, '[data-id="usage"]').value).toBe(100);
    expect(text($(element, '[data-id="usage-text"]'))).toBe('108% of the limit used');
  });

  it('never calls a customer without a limit over it (a limit of 0 is no limit)', () => {
    const element = mount(credit({ limit: money('0.00'), available: money('-20000.00') }));
    expect($(element, '[data-id="over-limit"]')).toBeNull();
    expect(text($(element, '[data-id="usage-text"]'))).toBe('No credit limit');
    expect($(element, '[data-id="limit"]')).toBeNull();
  });

  it('marks overdue receivables and a stale asOf', () => {
    const element = mount(credit({ stale: true }));
    expect($(element, '[data-id="overdue"]').className).toContain('slds-text-color_error');
    expect(text($(element, '[data-id="credit-as-of"]'))).toBe('Stale, as of');
  });
});
