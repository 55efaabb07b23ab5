// Turns one quote into one ERP order: the ERP's verdict first (validateQuote), shown with its
// reasons; then, for sales, a confirmation; then the submission with an idempotency key kept until a
// final status (c/c360Idempotency). Finance sees the verdict only; service sees neither.
//
// What the graph can answer, and what it means here:
// - ACCEPTED_BY_ERP: final; the order number is shown and the page reloads its orders and quotes.
// - REJECTED_BY_ERP: final; the reason codes are shown (QUOTE_NOT_APPROVED: only quotes in the ERP's
//   submittable status, Approved by default, become orders).
// - RETRY_REQUIRED (nothing was submitted) and PENDING_ERP (the ERP has or may have the order): not
//   final; the key is kept, and Retry sends the same one without asking again.
// - IDEMPOTENCY_KEY_IN_PROGRESS: the same submission is running; retry shortly with the same key.
// - MUTATION_OUTCOME_UNKNOWN (the graph lost the answer): the key is kept; the retry returns it.
// - IDEMPOTENCY_KEY_REUSED, BAD_USER_INPUT: this key can never succeed; the next try makes a new one.
// - No answer at all: the quote may or may not have been submitted; the key is kept, so retrying is safe.
// A status this component does not know is treated as not final: the key is kept.
import { LightningElement, api } from 'lwc';
import LightningConfirm from 'lightning/confirm';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import validateQuote from '@salesforce/apex/C360AccountGraphController.validateQuote';
import submitQuote from '@salesforce/apex/C360AccountGraphController.submitQuote';
import { failureOf } from 'c/c360Failures';
import { keyFor, pendingKey, settle } from 'c/c360Idempotency';

const FINAL = new Set(['ACCEPTED_BY_ERP', 'REJECTED_BY_ERP']);
/** Failures after which this submission's key can never succeed. */
const SPENT_KEY_CODES = new Set(['IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT']);

/** What to do about a reason, where the graph's own message does not say it. */
const REASON_ADVICE = {
  QUOTE_NOT_APPROVED: 'Only approved quotes become ERP orders: get this quote approved, then submit it again.',
  CREDIT_HOLD: 'The ERP holds this customer: finance must release the hold first.',
  CREDIT_LIMIT_EXCEEDED: 'The quote is over the customer’s available credit.',
  PRICE_MISMATCH: 'A quoted price differs from the ERP’s price: correct the quote lines.',
  ITEM_UNAVAILABLE: 'Not enough stock is available to promise for a line.',
  SUBMISSION_IN_PROGRESS: 'Another submission of this quote is running: wait for it, then reload.',
};

const STATUS_TEXT = {
  ACCEPTED_BY_ERP: 'Accepted by the ERP',
  REJECTED_BY_ERP: 'Rejected',
  RETRY_REQUIRED: 'Not submitted: retry',
  PENDING_ERP: 'Pending in the ERP: retry',
};

export default class C360QuoteSubmit extends LightningElement {
  /** An element of Account.quotes in SalesforceAccount360. */
  @api quote;
  @api canValidate = false;
  @api canSubmit = false;

  /** idle | validating | confirming | submitting */
  phase = 'idle';
  /** validateQuote's answer, shown until the next action. */
  verdict = null;
  /** The last submission's answer. */
  outcome = null;
  failure = null;
  /** Bumped when the stored key changes, so the button label is read again. */
  keyVersion = 0;

  get busy() {
    return this.phase !== 'idle';
  }

  get busyText() {
    return (
      {
        validating: 'Asking the ERP…',
        confirming: 'Waiting for your confirmation…',
        submitting: 'Submitting to the ERP…',
      }[this.phase] ?? ''
    );
  }

  get hasPendingKey() {
    void this.keyVersion;
    return pendingKey(this.quote.id) !== null;
  }

  get ordered() {
    return Boolean(this.quote.erpSync?.orderNumber) && !this.outcome;
  }

  get showValidate() {
    return this.canValidate && !this.canSubmit && !this.ordered;
  }

  get showSubmit() {
    return this.canSubmit && !this.ordered && !this.outcome?.final;
  }

  get submitLabel() {
    return this.hasPendingKey ? 'Retry submission' : 'Submit to ERP';
  }

  get verdictView() {
    const verdict = this.verdict;
    if (!verdict) return null;
    const acceptable = verdict.verdict === 'ACCEPTABLE';
    return {
      acceptable,
      title: acceptable ? 'The ERP would accept this quote' : 'The ERP would not accept this quote',
      boxClass: `slds-box slds-box_x-small slds-m-top_x-small ${acceptable ? 'slds-theme_success' : 'slds-theme_warning'}`,
      reasons: (verdict.reasons ?? []).map((reason, index) => ({
        key: `${index}`,
        text: [reason.lineNumber ? `Line ${reason.lineNumber}` : '', reason.message].filter(Boolean).join(': '),
        code: reason.code,
        advice: REASON_ADVICE[reason.code] ?? '',
      })),
      existingOrder: verdict.existingOrder?.number ?? '',
    };
  }

  get outcomeView() {
    const outcome = this.outcome;
    if (!outcome) return null;
    const accepted = outcome.status === 'ACCEPTED_BY_ERP';
    const rejected = outcome.status === 'REJECTED_BY_ERP';
    return {
      ...outcome,
      statusText: STATUS_TEXT[outcome.status] ?? outcome.status,
      boxClass: `slds-box slds-box_x-small slds-m-top_x-small ${accepted ? 'slds-theme_success' : rejected ? 'slds-theme_error' : 'slds-theme_warning'}`,
      advice:
        REASON_ADVICE[outcome.reasonCode] ??
        (outcome.final ? '' : 'Retry: the same submission key is sent, so the ERP never gets a second order.'),
    };
  }

  async handleValidate() {
    await this.validate();
  }

  async handleSubmit() {
    // Retrying an unfinished submission: the user confirmed it already, and its key carries it.
    if (this.hasPendingKey) {
      await this.submit();
      return;
    }
    const verdict = await this.validate();
    if (!verdict || verdict.verdict !== 'ACCEPTABLE') return;
    this.phase = 'confirming';
    const confirmed = await LightningConfirm.open({
      label: `Submit quote ${this.quote.number} to the ERP?`,
      message: `The ERP accepts quote ${this.quote.number} (${this.quote.name}). Submitting creates one sales order for ${this.quote.grandTotal.amount} ${this.quote.grandTotal.currency} and writes its number back to the quote.`,
      theme: 'warning',
    });
    this.phase = 'idle';
    if (confirmed) await this.submit();
  }

  async validate() {
    this.phase = 'validating';
    this.failure = null;
    this.outcome = null;
    this.verdict = null;
    try {
      const answer = await validateQuote({ quoteId: this.quote.id });
      this.verdict = JSON.parse(answer.json);
      return this.verdict;
    } catch (error) {
      this.failure = failureOf(error);
      return null;
    } finally {
      this.phase = 'idle';
    }
  }

  async submit() {
    const quoteId = this.quote.id;
    const idempotencyKey = keyFor(quoteId);
    this.keyVersion++;
    this.phase = 'submitting';
    this.failure = null;
    let payload;
    try {
      const answer = await submitQuote({ quoteId, idempotencyKey });
      payload = JSON.parse(answer.json);
    } catch (error) {
      const failure = failureOf(error);
      if (SPENT_KEY_CODES.has(failure.code)) settle(quoteId);
      this.keyVersion++;
      this.failure =
        failure.code === 'UNEXPECTED'
          ? {
              ...failure,
              message:
                'No answer from the graph: the quote may or may not have been submitted. Retry: the same key makes it safe.',
            }
          : failure;
      return;
    } finally {
      this.phase = 'idle';
    }
    const final = FINAL.has(payload.status);
    if (final) settle(quoteId);
    this.keyVersion++;
    this.verdict = null;
    this.outcome = {
      status: payload.status,
      final,
      message: payload.message,
      reasonCode: payload.reasonCode ?? '',
      reasons: (payload.reasonCodes ?? []).join(', '),
      orderNumber: payload.order?.number ?? '',
      replayed: payload.replayed === true,
      correlationId: payload.correlationId ?? '',
    };
    this.dispatchEvent(
      new ShowToastEvent({
        title: `Quote ${this.quote.number}: ${STATUS_TEXT[payload.status] ?? payload.status}`,
        message: payload.message,
        variant:
          payload.status === 'ACCEPTED_BY_ERP' ? 'success' : payload.status === 'REJECTED_BY_ERP' ? 'error' : 'warning',
      }),
    );
    if (final) {
      this.dispatchEvent(
        new CustomEvent('quotesettled', {
          bubbles: true,
          composed: true,
          detail: { quoteId, status: payload.status, erpSync: payload.quote?.erpSync ?? null },
        }),
      );
    }
  }
}
