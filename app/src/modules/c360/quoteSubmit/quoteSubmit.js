// Submits one quote to the ERP, exactly once, after the user has seen what the ERP says about it.
//
// "Submit to ERP" is offered only for a quote the graph calls submittable (Quote.submittable: its
// status is one the deployment turns into orders, Approved by default). Clicking it runs
// validateQuote and shows the verdict — each line's quoted and ERP price and its availability to
// promise, the customer's credit against the quote, and the reasons — and only an acceptable quote
// gets the "Create ERP order" confirmation. A rejected one shows why and offers nothing to press.
//
// The idempotency key is generated in the browser (c360/idempotency: crypto.randomUUID) and kept in
// sessionStorage until a final status, so a retry after RETRY_REQUIRED, PENDING_ERP,
// IDEMPOTENCY_KEY_IN_PROGRESS, MUTATION_OUTCOME_UNKNOWN or a lost response, even after a reload,
// sends the same key and can never create a second order. Such a retry continues the submission
// already confirmed: it is not validated and confirmed again.
import { LightningElement, api } from 'lwc';
import { NETWORK_ERROR, errorCodes } from 'c360/graphqlClient';
import { describeFailure } from 'c360/failures';
import { formatDate, formatMoney } from 'c360/format';
import { keyFor, pendingKey, settle } from 'c360/idempotency';
import { submitQuote, validateQuote } from 'c360/operations';

const FINAL = new Set(['ACCEPTED_BY_ERP', 'REJECTED_BY_ERP']);

/** The verdict of validateQuote as the review panel shows it. */
function reviewOf(validation) {
  const acceptable = validation.verdict === 'ACCEPTABLE';
  const credit = validation.credit;
  let creditText = 'No ERP customer: credit not checked.';
  let creditOk = false;
  if (credit) {
    creditOk = credit.verdict === 'OK';
    const required = formatMoney(credit.required);
    if (credit.onHold) creditText = `On hold${credit.holdReason ? `: ${credit.holdReason}` : ''}.`;
    else if (credit.unlimited) creditText = `No credit limit; this quote adds ${required}.`;
    else
      creditText = `Available ${formatMoney(credit.available)}; this quote needs ${required}${creditOk ? '' : ' — over the limit'}.`;
  }
  return {
    verdict: validation.verdict,
    acceptable,
    headline: acceptable
      ? `The ERP accepts this quote (${formatMoney(validation.quotedTotal)}).`
      : 'The ERP would not accept this quote.',
    reasons: validation.reasons.map((reason, index) => ({
      key: `${reason.code}-${index}`,
      code: reason.code,
      message: reason.message,
    })),
    hasReasons: validation.reasons.length > 0,
    existingOrder: validation.existingOrder?.number ?? '',
    creditText,
    creditClass: creditOk ? 'credit ok' : 'credit problem',
    lines: validation.lines.map((line) => {
      const ok = line.reasonCodes.length === 0;
      const availability = line.availability;
      return {
        key: line.lineNumber,
        lineNumber: line.lineNumber,
        item: [line.itemNumber ?? '—', line.product?.name].filter(Boolean).join(' · '),
        quantity: String(line.quantity),
        quoted: formatMoney(line.quotedUnitPrice),
        erpPrice: formatMoney(line.erpUnitPrice),
        priceClass: line.priceMatches ? 'num' : 'num problem',
        available: availability
          ? availability.sufficient
            ? `${availability.availableToPromise} available`
            : `${Math.max(0, availability.availableToPromise)} available, next ${formatDate(availability.nextAvailableDate)}`
          : 'not stocked',
        availableClass: !availability || availability.sufficient ? '' : 'problem',
        status: ok ? 'OK' : line.reasonCodes.join(', '),
        rowClass: ok ? 'ok' : 'problem',
      };
    }),
  };
}

export default class QuoteSubmit extends LightningElement {
  @api quote;
  /** idle | validating | review | submitting */
  phase = 'idle';
  /** The verdict under review (reviewOf), or null. */
  review = null;
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

  get busy() {
    return this.phase === 'validating' || this.phase === 'submitting';
  }

  get showButton() {
    return !this.alreadyOrdered && !this.outcome?.final && this.phase !== 'review';
  }

  get buttonLabel() {
    if (this.phase === 'validating') return 'Checking with the ERP…';
    if (this.phase === 'submitting') return 'Submitting…';
    return this.hasPendingKey ? 'Retry submission' : 'Submit to ERP';
  }

  get cancelLabel() {
    return this.review?.acceptable ? 'Cancel' : 'Close';
  }

  get outcomeClass() {
    const status = this.outcome?.status;
    return `outcome ${status === 'ACCEPTED_BY_ERP' ? 'accepted' : status === 'REJECTED_BY_ERP' ? 'rejected' : 'pending'}`;
  }

  get reviewClass() {
    return `review ${this.review?.acceptable ? 'acceptable' : 'refused'}`;
  }

  /** "Submit to ERP": check with the ERP first. "Retry submission": the confirmed one, same key. */
  async handleStart() {
    if (this.hasPendingKey) {
      await this.submit();
      return;
    }
    this.phase = 'validating';
    this.failure = null;
    this.outcome = null;
    const result = await validateQuote(this.quote.id);
    if (errorCodes(result).has('UNAUTHENTICATED')) {
      this.phase = 'idle';
      this.dispatchEvent(new CustomEvent('unauthenticated', { bubbles: true, composed: true }));
      return;
    }
    const validation = result.data?.validateQuote;
    if (!validation) {
      this.phase = 'idle';
      this.failure = describeFailure(result, 'The quote could not be checked with the ERP; nothing was submitted.');
      return;
    }
    this.review = reviewOf(validation);
    this.phase = 'review';
  }

  handleCancel() {
    this.review = null;
    this.phase = 'idle';
  }

  async handleConfirm() {
    this.review = null;
    await this.submit();
  }

  async submit() {
    const quoteId = this.quote.id;
    const idempotencyKey = keyFor(quoteId);
    this.keyVersion++;
    this.phase = 'submitting';
    this.failure = null;
    const result = await submitQuote(quoteId, idempotencyKey);
    this.phase = 'idle';
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
      const correlationId = result.correlationId ?? '';
      this.failure = codes.has('IDEMPOTENCY_KEY_IN_PROGRESS')
        ? {
            kind: 'warning',
            message:
              'This submission is still running (IDEMPOTENCY_KEY_IN_PROGRESS). Retry in a moment: it is the same submission.',
            details: [],
            correlationId,
          }
        : codes.has('MUTATION_OUTCOME_UNKNOWN')
          ? {
              kind: 'warning',
              message:
                'The ERP service did not answer (MUTATION_OUTCOME_UNKNOWN): the order may or may not have been created. Retry: the same key returns what happened and never creates a second order.',
              details: [],
              correlationId,
            }
          : codes.has(NETWORK_ERROR)
            ? {
                ...describeFailure(result, ''),
                message:
                  'No answer from the gateway: the quote may or may not have been submitted. Retry: the same key makes it safe.',
              }
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
      this.dispatchEvent(
        new CustomEvent('quotesettled', { bubbles: true, detail: { quoteId, status: payload.status, erpSync } }),
      );
    }
  }
}
