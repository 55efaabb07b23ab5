// The customer's ERP credit: how much of the limit the balance and the open orders use, what is
// left, what is overdue, and the two states a seller must not miss: on hold (the ERP blocks the
// customer) and over the limit (available below zero). A credit limit of 0 is Business Central's
// "no limit", never "over the limit".
import { LightningElement, api } from 'lwc';

export default class C360CreditSummary extends LightningElement {
  /** Account.credit of SalesforceAccount360. */
  @api credit;

  get onHold() {
    return this.credit.onHold === true;
  }

  get holdText() {
    return this.credit.holdReason ? `On hold: ${this.credit.holdReason}` : 'On hold';
  }

  get limit() {
    return Number(this.credit.limit.amount);
  }

  get unlimited() {
    return this.limit === 0;
  }

  get used() {
    return Number(this.credit.balance.amount) + Number(this.credit.openOrderExposure.amount);
  }

  get available() {
    return Number(this.credit.available.amount);
  }

  get overLimit() {
    return !this.unlimited && this.available < 0;
  }

  /** How far over, as a positive amount in the credit's currency. */
  get overBy() {
    return Math.abs(this.available);
  }

  get percentUsed() {
    if (this.unlimited) return 0;
    return Math.min(100, Math.max(0, Math.round((this.used / this.limit) * 100)));
  }

  get usageText() {
    if (this.unlimited) return 'No credit limit';
    return `${Math.round((this.used / this.limit) * 100)}% of the limit used`;
  }

  get hasOverdue() {
    return Number(this.credit.overdue.amount) > 0;
  }

  get availableClass() {
    return this.overLimit ? 'slds-text-color_error slds-text-title_bold' : '';
  }

  get overdueClass() {
    return this.hasOverdue ? 'slds-text-color_error' : '';
  }

  get paymentTerms() {
    return this.credit.paymentTerms?.name ?? '—';
  }

  get stale() {
    return this.credit.stale === true;
  }
}
