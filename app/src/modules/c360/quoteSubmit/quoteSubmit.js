// Submits one quote to the ERP, exactly once. The idempotency key is generated in the browser
// (c360/idempotency: crypto.randomUUID) and kept in sessionStorage until a final status, so a retry
// after RETRY_REQUIRED, PENDING_ERP, IDEMPOTENCY_KEY_IN_PROGRESS or a lost response, even after a
// reload, sends the same key and can never create a second order.
import { LightningElement, api } from 'lwc';
import { NETWORK_ERROR, errorCodes } from 'c360/graphqlClient';
import { describeFailure } from 'c360/failures';
import { keyFor, pendingKey, settle } from 'c360/idempotency';
import { submitQuote } from 'c360/operations';

const FINAL = new Set(['ACCEPTED_BY_ERP', 'REJECTED_BY_ERP']);

export default class QuoteSubmit extends LightningElement {
  @api quote;
  busy = false;
  /** { status, message, orderNumber, final, correlationId } of the last answer, or null. */
  outcome = null;
  failure = null;
  /** Bumped to re-read the stored key after it changes. */
  keyVersion = 0;

  get hasPendingKey() {
    void this.keyVersion;
    return pendingKey(this.quote.id) !== null;
  }

  get alreadyOrdered() {
    return !this.outcome && Boolean(this.quote.erpSync?.orderNumber);
  }

  get showButton() {
    return !this.alreadyOrdered && !this.outcome?.final;
  }

  get buttonLabel() {
    if (this.busy) return 'Submitting…';
    return this.hasPendingKey ? 'Retry submission' : 'Submit to ERP';
  }

  get outcomeClass() {
    const status = this.outcome?.status;
    return `outcome ${status === 'ACCEPTED_BY_ERP' ? 'accepted' : status === 'REJECTED_BY_ERP' ? 'rejected' : 'pending'}`;
  }

  async handleSubmit() {
    const quoteId = this.quote.id;
    const idempotencyKey = keyFor(quoteId);
    this.keyVersion++;
    this.busy = true;
    this.failure = null;
    const result = await submitQuote(quoteId, idempotencyKey);
    this.busy = false;
    const codes = errorCodes(result);
    if (codes.has('UNAUTHENTICATED')) {
      // Keep the key: after signing in again as the same user, the retry finds the first result.
      this.dispatchEvent(new CustomEvent('unauthenticated', { bubbles: true, composed: true }));
      return;
    }
    const payload = result.data?.submitQuote;
    if (!payload) {
      // The key is spent only when it can never succeed: reused for another quote, or refused input.
      if (codes.has('IDEMPOTENCY_KEY_REUSED') || codes.has('BAD_USER_INPUT')) settle(quoteId);
      this.keyVersion++;
      this.failure = codes.has('IDEMPOTENCY_KEY_IN_PROGRESS')
        ? { kind: 'warning', message: 'This submission is still running (IDEMPOTENCY_KEY_IN_PROGRESS). Retry in a moment: it is the same submission.', details: [], correlationId: result.correlationId ?? '' }
        : codes.has(NETWORK_ERROR)
          ? { ...describeFailure(result, ''), message: 'No answer from the gateway: the quote may or may not have been submitted. Retry: the same key makes it safe.' }
          : describeFailure(result, 'The submission failed.');
      return;
    }
    const final = FINAL.has(payload.status);
    if (final) settle(quoteId);
    this.keyVersion++;
    this.outcome = {
      status: payload.status,
      message: payload.message,
      orderNumber: payload.order?.number ?? '',
      reasons: (payload.reasonCodes ?? []).join(', '),
      replayed: payload.replayed,
      final,
      correlationId: payload.correlationId,
    };
    if (final) {
      const erpSync = payload.quote?.erpSync ?? null;
      this.dispatchEvent(new CustomEvent('quotesettled', { bubbles: true, detail: { quoteId, status: payload.status, erpSync } }));
    }
  }
}
