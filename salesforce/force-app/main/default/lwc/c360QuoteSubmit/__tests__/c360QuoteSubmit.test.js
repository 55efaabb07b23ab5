// Submitting a quote from the record page, with Apex and LightningConfirm mocked: the ERP's verdict
// first, a confirmation, then the submission; every answer of submitQuote (final or not, refused,
// failed) and what happens to the idempotency key, which must survive until a final status.
import { createElement } from 'lwc';
import C360QuoteSubmit from 'c/c360QuoteSubmit';
import LightningConfirm from 'lightning/confirm';
import validateQuote from '@salesforce/apex/C360AccountGraphController.validateQuote';
import submitQuote from '@salesforce/apex/C360AccountGraphController.submitQuote';
import { pendingKey } from 'c/c360Idempotency';
import {
  QUOTE_ID,
  answer,
  auraFailure,
  flushPromises,
  quote,
  submission,
  validation,
} from '../../c360AccountGraph/__tests__/graphAnswers';

jest.mock('@salesforce/apex/C360AccountGraphController.validateQuote', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/C360AccountGraphController.submitQuote', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

function mount({ canValidate = true, canSubmit = true, value = quote() } = {}) {
  const element = createElement('c-c360-quote-submit', { is: C360QuoteSubmit });
  Object.assign(element, { quote: value, canValidate, canSubmit });
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
const click = async (element, selector) => {
  $(element, selector).dispatchEvent(new CustomEvent('click'));
  await flushPromises();
};

let toasts;
let settled;
const onToast = (event) => toasts.push(event.detail);
const onSettled = (event) => settled.push(event.detail);
beforeEach(() => {
  toasts = [];
  settled = [];
  document.addEventListener('lightning__showtoast', onToast);
  document.addEventListener('quotesettled', onSettled);
  window.sessionStorage.clear();
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  document.removeEventListener('lightning__showtoast', onToast);
  document.removeEventListener('quotesettled', onSettled);
  jest.resetAllMocks();
});

describe('c-c360-quote-submit', () => {
  it('validates, asks to confirm, then submits once with a fresh key and reports the order', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(true);
    submitQuote.mockResolvedValue(answer(submission()));
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect(validateQuote).toHaveBeenCalledWith({ quoteId: QUOTE_ID });
    expect(LightningConfirm.open).toHaveBeenCalledTimes(1);
    expect(LightningConfirm.open.mock.calls[0][0].label).toBe('Submit quote 00000123 to the ERP?');
    expect(LightningConfirm.open.mock.calls[0][0].message).toContain('2400.00 EUR');
    expect(submitQuote).toHaveBeenCalledTimes(1);
    const { quoteId, idempotencyKey } = submitQuote.mock.calls[0][0];
    expect(quoteId).toBe(QUOTE_ID);
    expect(idempotencyKey).toMatch(/^[A-Za-z0-9_-]{8,128}$/);

    const outcome = $(element, '[data-id="outcome"]');
    expect(outcome.dataset.status).toBe('ACCEPTED_BY_ERP');
    expect(text($(element, '[data-id="order-number"]'))).toBe('SO-100003');
    expect($(element, '[data-id="submit"]')).toBeNull();
    expect(pendingKey(QUOTE_ID)).toBeNull();
    expect(toasts).toEqual([
      expect.objectContaining({ variant: 'success', title: 'Quote 00000123: Accepted by the ERP' }),
    ]);
    expect(settled).toEqual([{ quoteId: QUOTE_ID, status: 'ACCEPTED_BY_ERP', erpSync: submission().quote.erpSync }]);
  });

  it('shows the reasons when the ERP would refuse, and submits nothing', async () => {
    validateQuote.mockResolvedValue(
      answer(
        validation({
          verdict: 'REJECTED',
          reasonCodes: ['CREDIT_HOLD', 'PRICE_MISMATCH'],
          reasons: [
            { code: 'CREDIT_HOLD', message: 'The customer is blocked in the ERP.', lineNumber: null, itemNumber: null },
            {
              code: 'PRICE_MISMATCH',
              message: 'Quoted 550.00, the ERP says 600.00.',
              lineNumber: '00001',
              itemNumber: '1000',
            },
          ],
        }),
      ),
    );
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('REJECTED');
    const hold = $(element, '[data-reason="CREDIT_HOLD"]');
    expect(text(hold)).toContain('The customer is blocked in the ERP. (CREDIT_HOLD)');
    expect(text(hold)).toContain('finance must release the hold first');
    expect(text($(element, '[data-reason="PRICE_MISMATCH"]'))).toContain(
      'Line 00001: Quoted 550.00, the ERP says 600.00.',
    );
    expect(LightningConfirm.open).not.toHaveBeenCalled();
    expect(submitQuote).not.toHaveBeenCalled();
    expect(pendingKey(QUOTE_ID)).toBeNull();
  });

  it('submits nothing when the user does not confirm', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(false);
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect(submitQuote).not.toHaveBeenCalled();
    expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('ACCEPTABLE');
    expect($(element, '[data-id="submit"]').label).toBe('Submit to ERP');
    expect(pendingKey(QUOTE_ID)).toBeNull();
  });

  it('a quote that is not approved is refused (QUOTE_NOT_APPROVED): final, with what to do', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(true);
    submitQuote.mockResolvedValue(
      answer(
        submission({
          status: 'REJECTED_BY_ERP',
          reasonCode: 'QUOTE_NOT_APPROVED',
          reasonCodes: ['QUOTE_NOT_APPROVED'],
          message: 'Quote 00000123 is Draft; only Approved quotes become orders.',
          order: null,
          quote: null,
        }),
      ),
    );
    const element = mount({ value: quote({ status: 'Draft' }) });

    await click(element, '[data-id="submit"]');

    expect($(element, '[data-id="outcome"]').dataset.status).toBe('REJECTED_BY_ERP');
    expect(text($(element, '[data-id="reason-codes"]'))).toBe('QUOTE_NOT_APPROVED');
    expect(text($(element, '[data-id="advice"]'))).toBe(
      'Only approved quotes become ERP orders: get this quote approved, then submit it again.',
    );
    expect(pendingKey(QUOTE_ID)).toBeNull();
    expect(toasts[0].variant).toBe('error');
    expect(settled).toHaveLength(1);
  });

  it('keeps the key after PENDING_ERP, and Retry sends the same key without asking again', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(true);
    submitQuote
      .mockResolvedValueOnce(
        answer(
          submission({
            status: 'PENDING_ERP',
            reasonCode: 'ERP_OUTCOME_UNKNOWN',
            reasonCodes: ['ERP_OUTCOME_UNKNOWN'],
            message: 'The ERP did not confirm the order: retry with the same key.',
            order: null,
            quote: null,
          }),
        ),
      )
      .mockResolvedValueOnce(answer(submission({ replayed: false })));
    const element = mount();

    await click(element, '[data-id="submit"]');
    const firstKey = submitQuote.mock.calls[0][0].idempotencyKey;
    expect($(element, '[data-id="outcome"]').dataset.status).toBe('PENDING_ERP');
    expect(text($(element, '[data-id="advice"]'))).toContain('the same submission key is sent');
    expect(pendingKey(QUOTE_ID)).toBe(firstKey);
    expect(settled).toHaveLength(0);
    expect(toasts[0].variant).toBe('warning');
    expect($(element, '[data-id="submit"]').label).toBe('Retry submission');

    await click(element, '[data-id="submit"]');
    expect(submitQuote).toHaveBeenCalledTimes(2);
    expect(submitQuote.mock.calls[1][0].idempotencyKey).toBe(firstKey);
    expect(validateQuote).toHaveBeenCalledTimes(1);
    expect(LightningConfirm.open).toHaveBeenCalledTimes(1);
    expect($(element, '[data-id="outcome"]').dataset.status).toBe('ACCEPTED_BY_ERP');
    expect(pendingKey(QUOTE_ID)).toBeNull();
  });

  it('keeps the key after RETRY_REQUIRED, and after a status it does not know', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(true);
    submitQuote.mockResolvedValueOnce(
      answer(
        submission({
          status: 'RETRY_REQUIRED',
          reasonCode: 'ERP_UNAVAILABLE',
          reasonCodes: ['ERP_UNAVAILABLE'],
          message: 'Nothing was submitted.',
          order: null,
        }),
      ),
    );
    const element = mount();
    await click(element, '[data-id="submit"]');
    const key = pendingKey(QUOTE_ID);
    expect(key).not.toBeNull();
    expect($(element, '[data-id="outcome"]').dataset.status).toBe('RETRY_REQUIRED');

    submitQuote.mockResolvedValueOnce(
      answer(submission({ status: 'SOMETHING_NEW', message: 'A status from a newer graph.', order: null })),
    );
    await click(element, '[data-id="submit"]');
    expect(submitQuote.mock.calls[1][0].idempotencyKey).toBe(key);
    expect(pendingKey(QUOTE_ID)).toBe(key);
    expect($(element, '[data-id="submit"]')).not.toBeNull();
  });

  it('a submission still running (IDEMPOTENCY_KEY_IN_PROGRESS) keeps its key', async () => {
    window.sessionStorage.setItem(`c360:submitQuote:${QUOTE_ID}`, 'kept-key-0001');
    submitQuote.mockRejectedValue(
      auraFailure('IDEMPOTENCY_KEY_IN_PROGRESS', {
        message: 'This submission is still running (IDEMPOTENCY_KEY_IN_PROGRESS).',
      }),
    );
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect(submitQuote).toHaveBeenCalledWith({ quoteId: QUOTE_ID, idempotencyKey: 'kept-key-0001' });
    expect($(element, '[data-id="submit-failure"]').dataset.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(pendingKey(QUOTE_ID)).toBe('kept-key-0001');
  });

  it('an answer the graph lost (MUTATION_OUTCOME_UNKNOWN) keeps the key: the retry returns what happened', async () => {
    window.sessionStorage.setItem(`c360:submitQuote:${QUOTE_ID}`, 'lost-key-0001');
    submitQuote.mockRejectedValueOnce(
      auraFailure('MUTATION_OUTCOME_UNKNOWN', {
        message: 'The graph lost the answer to this submission (MUTATION_OUTCOME_UNKNOWN).',
      }),
    );
    submitQuote.mockResolvedValueOnce(answer(submission()));
    const element = mount();

    await click(element, '[data-id="submit"]');
    expect($(element, '[data-id="submit-failure"]').dataset.code).toBe('MUTATION_OUTCOME_UNKNOWN');
    expect(pendingKey(QUOTE_ID)).toBe('lost-key-0001');
    expect($(element, '[data-id="submit"]').label).toBe('Retry submission');

    await click(element, '[data-id="submit"]');
    expect(submitQuote.mock.calls[1][0].idempotencyKey).toBe('lost-key-0001');
    expect($(element, '[data-id="outcome"]').dataset.status).toBe('ACCEPTED_BY_ERP');
    expect(pendingKey(QUOTE_ID)).toBeNull();
  });

  it('a key that can never succeed (IDEMPOTENCY_KEY_REUSED) is dropped, so the next try makes a new one', async () => {
    window.sessionStorage.setItem(`c360:submitQuote:${QUOTE_ID}`, 'spent-key-0001');
    submitQuote.mockRejectedValue(auraFailure('IDEMPOTENCY_KEY_REUSED'));
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect($(element, '[data-id="submit-failure"]').dataset.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(pendingKey(QUOTE_ID)).toBeNull();
    expect($(element, '[data-id="submit"]').label).toBe('Submit to ERP');
  });

  it('without any answer, the quote may or may not be submitted: the key is kept for the retry', async () => {
    validateQuote.mockResolvedValue(answer(validation()));
    LightningConfirm.open.mockResolvedValue(true);
    submitQuote.mockRejectedValue({ body: { message: 'Disconnected or Canceled' } });
    const element = mount();

    await click(element, '[data-id="submit"]');

    const failure = $(element, '[data-id="submit-failure"]');
    expect(failure.dataset.code).toBe('UNEXPECTED');
    expect(text(failure)).toContain('may or may not have been submitted');
    expect(pendingKey(QUOTE_ID)).toBe(submitQuote.mock.calls[0][0].idempotencyKey);
  });

  it('a failed validation is shown and submits nothing', async () => {
    validateQuote.mockRejectedValue(
      auraFailure('ERP_UNAVAILABLE', { message: 'The ERP is unavailable (ERP_UNAVAILABLE).' }),
    );
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect($(element, '[data-id="submit-failure"]').dataset.code).toBe('ERP_UNAVAILABLE');
    expect(submitQuote).not.toHaveBeenCalled();
    expect(pendingKey(QUOTE_ID)).toBeNull();
  });

  it('says the ERP already has the order when the replayed answer comes back', async () => {
    window.sessionStorage.setItem(`c360:submitQuote:${QUOTE_ID}`, 'replay-key-0001');
    submitQuote.mockResolvedValue(answer(submission({ replayed: true })));
    const element = mount();

    await click(element, '[data-id="submit"]');

    expect(text($(element, '[data-id="outcome"]'))).toContain('nothing was sent again');
  });

  it('offers finance the ERP check without a submission', async () => {
    validateQuote.mockResolvedValue(answer(validation({ existingOrder: { number: 'SO-100009', status: 'OPEN' } })));
    const element = mount({ canValidate: true, canSubmit: false });

    expect($(element, '[data-id="submit"]')).toBeNull();
    await click(element, '[data-id="validate"]');

    expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('ACCEPTABLE');
    expect(text($(element, '[data-id="verdict"]'))).toContain('An order already exists for this quote: SO-100009.');
    expect(LightningConfirm.open).not.toHaveBeenCalled();
    expect(submitQuote).not.toHaveBeenCalled();
  });

  it('shows the ERP order of a quote already submitted, and no button', () => {
    const element = mount({
      value: quote({ erpSync: { orderNumber: 'SO-100007', status: 'Accepted', message: null, lastSyncAt: null } }),
    });
    expect(text($(element, '[data-id="ordered"]'))).toBe('ERP order SO-100007');
    expect($(element, '[data-id="submit"]')).toBeNull();
  });

  it('shows progress while the ERP is asked', async () => {
    let resolve;
    validateQuote.mockReturnValue(new Promise((done) => (resolve = done)));
    const element = mount();
    $(element, '[data-id="submit"]').dispatchEvent(new CustomEvent('click'));
    await flushPromises();

    expect(text($(element, '[data-id="busy"]'))).toBe('Asking the ERP…');
    expect($(element, '[data-id="submit"]')).toBeNull();
    resolve(answer(validation({ verdict: 'REJECTED', reasons: [] })));
    await flushPromises();
    expect($(element, '[data-id="busy"]')).toBeNull();
  });
});
