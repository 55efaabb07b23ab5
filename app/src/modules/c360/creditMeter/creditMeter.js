// The credit meter: how much of the credit limit the balance and the open orders use, with
// what is left, what is overdue and whether the ERP holds the customer. Internal roles only: these
// figures are credit internals a partner may not see. Green up to 80 % of the limit, amber up to the
// limit, red above it with "over limit by X": a customer at 398 % must not look like one at 85 %.
import { LightningElement, api } from 'lwc';
import { formatDateTime, formatMoney } from 'c360/format';

export default class CreditMeter extends LightningElement {
  @api credit;

  get used() {
    return Number(this.credit.balance.amount) + Number(this.credit.openOrderExposure.amount);
  }

  get limit() {
    return Number(this.credit.limit.amount);
  }

  // <meter> needs max > min; a zero limit (none in Business Central) shows as full.
  get meterMax() {
    return Math.max(this.limit, this.used, 1);
  }

  get meterValue() {
    return Math.max(0, this.used);
  }

  // The meter's regions (HTML: optimum 0 sits in the low region): up to `low` green, up to `high`
  // amber, above `high` red. `high` is the limit itself, so red means over the limit.
  get meterLow() {
    return this.limit > 0 ? this.limit * 0.8 : this.meterMax * 0.8;
  }

  get meterHigh() {
    return this.limit > 0 ? this.limit : this.meterMax * 0.8;
  }

  get overLimit() {
    return this.limit > 0 && this.used > this.limit;
  }

  /** green | amber | red: the same regions as the meter, for the text and for tests. */
  get level() {
    if (this.overLimit) return 'red';
    return this.limit > 0 && this.used > this.meterLow ? 'amber' : 'green';
  }

  get meterClass() {
    return `meter ${this.level}`;
  }

  get percentText() {
    if (this.limit <= 0) return 'no credit limit';
    return `${Math.round((this.used / this.limit) * 100)}% of the limit used`;
  }

  get overLimitText() {
    // Balance and open orders above the limit: the negative of what is available.
    const over = Math.max(0, this.used - this.limit);
    return `Over limit by ${formatMoney({ amount: over.toFixed(2), currency: this.credit.limit.currency })}`;
  }

  get negativeAvailable() {
    return Number(this.credit.available.amount) < 0;
  }

  get availableClass() {
    return this.negativeAvailable ? 'value negative' : 'value';
  }

  get hasOverdue() {
    return Number(this.credit.overdue.amount) > 0;
  }

  get overdueClass() {
    return this.hasOverdue ? 'value negative' : 'value';
  }

  get limitText() {
    return formatMoney(this.credit.limit);
  }
  get balanceText() {
    return formatMoney(this.credit.balance);
  }
  get exposureText() {
    return formatMoney(this.credit.openOrderExposure);
  }
  get availableText() {
    return formatMoney(this.credit.available);
  }
  get overdueText() {
    return formatMoney(this.credit.overdue);
  }
  get termsText() {
    return this.credit.paymentTerms?.name ?? '—';
  }
  get holdText() {
    return this.credit.holdReason ? `On hold: ${this.credit.holdReason}` : 'On hold';
  }
  get asOfText() {
    return `${this.credit.stale ? 'Stale, as of' : 'As of'} ${formatDateTime(this.credit.asOf)}`;
  }
  get asOfClass() {
    return this.credit.stale ? 'as-of stale' : 'as-of';
  }
}
