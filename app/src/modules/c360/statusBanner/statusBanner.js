// One message to the user: an error, a warning (degraded data) or information, with the
// correlation id support needs to find the request.
import { LightningElement, api } from 'lwc';

export default class StatusBanner extends LightningElement {
  /** error | warning | info */
  @api kind = 'info';
  @api message = '';
  /** Extra lines, e.g. which parts are missing. */
  @api details = [];
  @api correlationId = '';

  get bannerClass() {
    return `banner ${this.kind}`;
  }

  get role() {
    return this.kind === 'error' ? 'alert' : 'status';
  }

  get detailItems() {
    return (this.details ?? []).map((text, index) => ({ key: String(index), text }));
  }

  get hasDetails() {
    return this.detailItems.length > 0;
  }
}
