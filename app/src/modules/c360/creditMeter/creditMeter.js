// The credit meter: how much of the credit limit the balance and the open orders use, with
// what is left, what is overdue and whether the ERP holds the customer. Internal roles only: these
// figures are credit internals a partner may not see.
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

  // <meter> needs max > min; a zero limit shows as full.
  get meterMax() {
    return Math.max(this.limit, this.used, 1);
  }

  get meterValue() {
    return Math.max(0, this.used);
  }

  get meterHigh() {
    return this.meterMax * 0.8;
  }

  get percentText() {
    if (this.limit <= 0) return 'no credit limit';
    return `${Math.round((this.used / this.limit) * 100)}% of the limit used`;
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
