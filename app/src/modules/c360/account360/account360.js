// An account's 360: the Salesforce record, its ERP credit, open and overdue invoices, orders with
// their shipments and tracking numbers, and (for internal roles) contacts and quotes to submit.
// One operation per screen, chosen by role: a partner's token may not select credit internals,
// contacts or quotes, and the gateway refuses a whole operation that asks for a field the caller may
// not read; so partners send ConsolePartnerAccount360.
//
// States: loading; not found (also an account outside a partner's scope: the graph answers as if it
// did not exist); forbidden; failed; and shown, possibly degraded: with one backend down the other's
// fields still come, ERP fields may come from the cache marked stale with their asOf, and what could
// not be read is null with an error on its path. The banner says which.
import { LightningElement, api } from 'lwc';
import { errorCodes } from 'c360/graphqlClient';
import { describeFailure } from 'c360/failures';
import { formatDate, formatDateTime, formatMoney } from 'c360/format';
import { account360 } from 'c360/operations';

/** Roles that may submit quotes (schema: submitQuote @requiresScopes sales, integration). */
const SUBMITTING_ROLES = new Set(['sales', 'integration']);

/** Sections of the 360, by the field of Account that feeds them. */
const SECTIONS = {
  credit: 'credit',
  openInvoices: 'open invoices',
  orders: 'orders',
  contacts: 'contacts',
  quotes: 'quotes',
  owner: 'owner',
};

export default class Account360 extends LightningElement {
  @api role = '';
  _accountId = '';
  /** loading | ready | not-found | forbidden | failed */
  state = 'loading';
  account = null;
  errors = [];
  failure = null;
  correlationId = '';
  sequence = 0;
  /**
   * The ERP sync a submission just wrote, by quote id. Newer than a reload may show: the account's
   * quotes are cached by the Salesforce subgraph, which does not see the ERP subgraph's write-back.
   */
  settledSync = {};

  @api
  get accountId() {
    return this._accountId;
  }
  set accountId(value) {
    const changed = value !== this._accountId;
    this._accountId = value;
    if (changed && this.isConnected) this.load();
  }

  connectedCallback() {
    this.load();
  }

  get isPartner() {
    return this.role === 'partner';
  }

  async load({ quiet = false } = {}) {
    const sequence = ++this.sequence;
    const id = this._accountId;
    if (!quiet) this.state = 'loading';
    const result = await account360(id, { partner: this.isPartner });
    if (sequence !== this.sequence) return; // the user moved on to another account
    const codes = errorCodes(result);
    if (codes.has('UNAUTHENTICATED')) {
      this.dispatchEvent(new CustomEvent('unauthenticated', { bubbles: true, composed: true }));
      return;
    }
    this.correlationId = result.correlationId ?? '';
    const account = result.data?.account ?? null;
    if (!account) {
      this.account = null;
      if (codes.has('FORBIDDEN')) this.state = 'forbidden';
      else if (codes.size === 0 || codes.has('NOT_FOUND') || codes.has('BAD_USER_INPUT')) this.state = 'not-found';
      else {
        this.state = 'failed';
        this.failure = describeFailure(result, 'The account could not be read.');
      }
      return;
    }
    this.account = account;
    this.errors = result.errors;
    this.state = 'ready';
  }

  handleQuoteSettled(event) {
    // A submission reached a final status: show its ERP sync at once, and the new order on reload.
    const { quoteId, erpSync } = event.detail;
    if (erpSync) this.settledSync = { ...this.settledSync, [quoteId]: erpSync };
    this.load({ quiet: true });
  }

  get loading() {
    return this.state === 'loading';
  }
  get ready() {
    return this.state === 'ready';
  }
  get notFound() {
    return this.state === 'not-found';
  }
  get forbidden() {
    return this.state === 'forbidden';
  }
  get failed() {
    return this.state === 'failed';
  }

  get subtitle() {
    const a = this.account;
    return [a.erpCustomerNumber && `ERP ${a.erpCustomerNumber}`, a.industry, a.type, a.owner && `Owner ${a.owner.name}`]
      .filter(Boolean)
      .join(' · ');
  }

  /** Missing parts (errors on a path) and stale parts (served from the cache past their TTL). */
  get degradation() {
    const details = [];
    const missing = new Map();
    for (const error of this.errors) {
      const fields = (error.path ?? []).filter((part) => typeof part === 'string');
      const field = fields[1] ?? fields[0];
      if (field) missing.set(SECTIONS[field] ?? field, error.extensions?.code ?? 'error');
      else details.push(error.message);
    }
    for (const [section, code] of missing) details.push(`Missing: ${section} (${code}).`);
    for (const [section, asOf] of this.staleSections())
      details.push(`Stale: ${section}, as of ${formatDateTime(asOf)} (served from the cache).`);
    if (details.length === 0) return null;
    const codes = new Set(missing.values());
    const down = [
      codes.has('ERP_UNAVAILABLE') && 'the ERP',
      codes.has('SALESFORCE_UNAVAILABLE') && 'Salesforce',
    ].filter(Boolean);
    let message = 'Part of this account could not be read. What could be read is shown.';
    if (down.length > 0) {
      message = `Degraded: ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} unavailable. What the gateway could read is shown, some of it from its cache: check the dates before acting on it.`;
    } else if (missing.size === 0) {
      message = 'Some of this comes from the cache and is older than usual: check the dates before acting on it.';
    }
    return { message, details };
  }

  staleSections() {
    const a = this.account;
    const sections = [];
    if (a.stale) sections.push(['account record', a.asOf]);
    if (a.credit?.stale) sections.push(['credit', a.credit.asOf]);
    const oldest = (rows) =>
      rows
        .filter((row) => row.stale)
        .map((row) => row.asOf)
        .sort()[0];
    const invoices = oldest(a.openInvoices ?? []);
    if (invoices) sections.push(['open invoices', invoices]);
    const orders = oldest(a.orders ?? []);
    if (orders) sections.push(['orders', orders]);
    return sections;
  }

  get showCreditMeter() {
    return !this.isPartner && Boolean(this.account.credit);
  }

  get partnerCredit() {
    const credit = this.account.credit;
    if (!this.isPartner || !credit) return null;
    return {
      onHold: credit.onHold,
      holdText: credit.onHold ? 'On hold: new orders will not ship' : 'Not on hold',
      paymentTerms: credit.paymentTerms ? credit.paymentTerms.name : '—',
    };
  }

  get creditMissing() {
    return !this.account.credit;
  }

  get invoicesUnavailable() {
    return this.account.openInvoices === null || this.account.openInvoices === undefined;
  }

  get invoices() {
    return (this.account.openInvoices ?? []).map((invoice) => ({
      ...invoice,
      rowClass: invoice.isOverdue ? 'overdue' : '',
      due: formatDate(invoice.dueDate),
      dated: formatDate(invoice.invoiceDate),
      totalText: formatMoney(invoice.total),
      remainingText: formatMoney(invoice.remaining),
      overdueText: invoice.isOverdue ? `${invoice.daysOverdue} days overdue` : 'open',
    }));
  }

  get invoiceSummary() {
    if (this.invoicesUnavailable) return '';
    const invoices = this.account.openInvoices ?? [];
    const overdue = invoices.filter((invoice) => invoice.isOverdue).length;
    return `${invoices.length} open, ${overdue} overdue`;
  }

  get hasInvoices() {
    return this.invoices.length > 0;
  }

  get ordersUnavailable() {
    return this.account.orders === null || this.account.orders === undefined;
  }

  get orders() {
    return (this.account.orders ?? []).map((order) => {
      const shipments = (order.shipments ?? []).map((shipment) => ({
        ...shipment,
        shipped: formatDate(shipment.shipmentDate),
        carrierText: shipment.carrier ?? 'carrier unknown',
        tracking: shipment.trackingNumber ?? 'no tracking number',
      }));
      return {
        ...order,
        dated: formatDate(order.orderDate),
        totalText: formatMoney(order.total),
        shippedText: order.fullyShipped ? 'fully shipped' : shipments.length > 0 ? 'partly shipped' : 'not shipped',
        staleText: order.stale ? `stale, as of ${formatDateTime(order.asOf)}` : '',
        shipments,
        hasShipments: shipments.length > 0,
      };
    });
  }

  get hasOrders() {
    return this.orders.length > 0;
  }

  get showInternal() {
    return !this.isPartner;
  }

  get contacts() {
    return (this.account.contacts ?? []).map((contact) => ({
      ...contact,
      line: [contact.title, contact.email].filter(Boolean).join(' · '),
    }));
  }

  get hasContacts() {
    return this.contacts.length > 0;
  }

  get quotes() {
    const mayDo = SUBMITTING_ROLES.has(this.role);
    return (this.account.quotes ?? []).map((quote) => {
      const erpSync = this.settledSync[quote.id] ?? quote.erpSync;
      // Only quotes the graph calls submittable (their status, by the deployment's rule) get the
      // button; the others say why, unless they already carry an order.
      const canSubmit = mayDo && quote.submittable === true;
      return {
        ...quote,
        erpSync,
        canSubmit,
        notSubmittable: mayDo && !canSubmit && !erpSync?.orderNumber,
        totalText: formatMoney(quote.grandTotal),
        syncText: [erpSync?.status ?? 'Not Submitted', erpSync?.orderNumber].filter(Boolean).join(' · '),
      };
    });
  }

  get hasQuotes() {
    return this.quotes.length > 0;
  }

  get notFoundMessage() {
    return `No account ${this._accountId} that you may see.`;
  }
}
