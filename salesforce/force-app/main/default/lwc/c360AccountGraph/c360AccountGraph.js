// The customer 360 on an Account record page (also App and Home pages, where the user picks the
// account): the ERP's side of the customer from the customer360 graph, next to the Salesforce
// record the page already shows. Credit with hold and over-limit states, open and overdue invoices,
// orders with their shipments and tracking, and quotes with their ERP status, validated and
// submitted from here by the roles that may (c/c360QuoteSubmit).
//
// Data comes from one Apex method (C360AccountGraphController.getAccount360), which runs the
// published operation SalesforceAccount360 through the Named Credential C360_Graph and hands over
// its result as the graph sent it; so a field added to the operation only needs a template block
// (shipment tracking lives in c/c360Shipment).
//
// States: loading; no role (the user holds no Customer 360 permission set) and forbidden (the
// graph refused the role); failed (nothing could be read: the failure's message, detail and
// correlation id, and Retry); not in the graph; and shown, possibly degraded: with the ERP down,
// Salesforce's fields still come and the ERP's come from the graph's cache marked stale with their
// asOf, or are missing with ERP_UNAVAILABLE on their path; a banner says which.
import { LightningElement, api } from 'lwc';
import getAccount360 from '@salesforce/apex/C360AccountGraphController.getAccount360';
import { failureOf } from 'c/c360Failures';

/** The sections of the page, by the field of Account that feeds them. */
const SECTIONS = { credit: 'Credit', openInvoices: 'Open invoices', orders: 'Orders and shipments', quotes: 'Quotes' };
const BACKENDS = { ERP_UNAVAILABLE: 'the ERP', SALESFORCE_UNAVAILABLE: 'Salesforce' };

export default class C360AccountGraph extends LightningElement {
  @api objectApiName;
  _recordId;
  /** App and Home pages: the account chosen in the picker. */
  pickedAccountId;

  /** idle | loading | ready | not-in-graph | forbidden | failed */
  state = 'idle';
  account = null;
  problems = [];
  viewer = null;
  failure = null;
  correlationId = '';
  /** Answers to earlier loads are dropped once a newer load started. */
  sequence = 0;
  /** ERP sync that a submission just wrote, by quote id, shown before the reload comes back. */
  settledSync = {};

  @api
  get recordId() {
    return this._recordId;
  }
  set recordId(value) {
    const changed = value !== this._recordId;
    this._recordId = value;
    if (changed && this.isConnected) this.load();
  }

  connectedCallback() {
    this.load();
  }

  get accountId() {
    return this._recordId || this.pickedAccountId || null;
  }

  /** No record in context (App or Home page): the user picks one. */
  get showPicker() {
    return !this._recordId;
  }

  async load({ quiet = false } = {}) {
    const accountId = this.accountId;
    const sequence = ++this.sequence;
    if (!accountId) {
      this.state = 'idle';
      return;
    }
    if (!quiet) this.state = 'loading';
    try {
      const answer = await getAccount360({ accountId });
      if (sequence !== this.sequence) return;
      this.viewer = answer.viewer;
      this.correlationId = answer.correlationId ?? '';
      this.problems = answer.problems ?? [];
      this.account = JSON.parse(answer.json);
      this.failure = null;
      this.state = this.account ? 'ready' : 'not-in-graph';
    } catch (error) {
      if (sequence !== this.sequence) return;
      this.account = null;
      this.failure = failureOf(error);
      this.state = this.failure.forbidden ? 'forbidden' : 'failed';
    }
  }

  handleRefresh() {
    this.load({ quiet: this.state === 'ready' });
  }

  handleRetry() {
    this.load();
  }

  handleAccountPicked(event) {
    this.pickedAccountId = event.detail.recordId ?? null;
    this.settledSync = {};
    this.load();
  }

  handleQuoteSettled(event) {
    const { quoteId, erpSync } = event.detail;
    if (erpSync) this.settledSync = { ...this.settledSync, [quoteId]: erpSync };
    // The new order and the quote's write-back: read again without blanking the page.
    this.load({ quiet: true });
  }

  get idle() {
    return this.state === 'idle';
  }
  get loading() {
    return this.state === 'loading';
  }
  get ready() {
    return this.state === 'ready';
  }
  get notInGraph() {
    return this.state === 'not-in-graph';
  }

  /** The forbidden and failed states: one notice, a warning without Retry or an error with it. */
  get notice() {
    if (this.state === 'forbidden') {
      return {
        boxClass: 'slds-scoped-notification slds-theme_warning',
        role: 'status',
        icon: 'utility:lock',
        iconVariant: '',
        iconText: 'Not allowed',
        retry: false,
        correlationId: false,
      };
    }
    if (this.state === 'failed') {
      return {
        boxClass: 'slds-scoped-notification slds-theme_error',
        role: 'alert',
        icon: 'utility:error',
        iconVariant: 'inverse',
        iconText: 'Error',
        retry: true,
        correlationId: Boolean(this.failure.correlationId),
      };
    }
    return null;
  }

  get forbiddenFields() {
    return (this.failure?.fields ?? []).join(', ');
  }

  get subtitle() {
    const account = this.account;
    if (!account) return '';
    return account.erpCustomerNumber ? `ERP customer ${account.erpCustomerNumber}` : 'No ERP customer number';
  }

  get roleText() {
    return this.viewer?.role ? `Your role: ${this.viewer.role}` : '';
  }

  /** Linked to an ERP customer: without a number the graph has no ERP side for the account. */
  get linked() {
    return Boolean(this.account?.erpCustomerNumber);
  }

  /** Missing parts (errors on a path) and stale parts (served from the graph's cache past their TTL). */
  get degradation() {
    if (!this.account) return null;
    const missing = new Map();
    const other = [];
    for (const problem of this.problems) {
      const field = (problem.path ?? []).filter((part) => !/^\d+$/.test(part))[1];
      if (field) missing.set(SECTIONS[field] ?? field, problem.code);
      else other.push(problem.message);
    }
    const details = [...other];
    for (const [section, code] of missing) details.push(`Missing: ${section} (${code}).`);
    for (const stale of this.staleSections())
      details.push(`Stale: ${stale.section}, as of ${stale.asOf} (from the graph's cache).`);
    if (details.length === 0) return null;
    const down = [...new Set([...missing.values()].map((code) => BACKENDS[code]).filter(Boolean))];
    let message = 'Part of this customer could not be read. What could be read is shown.';
    if (down.length > 0) {
      message = `Degraded: ${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} unavailable. What the graph could read is shown, some of it from its cache: check the dates before acting on it.`;
    } else if (missing.size === 0 && other.length === 0) {
      message =
        'Some of this comes from the graph’s cache and is older than usual: check the dates before acting on it.';
    }
    return { message, details: details.map((text, index) => ({ key: `${index}`, text })) };
  }

  staleSections() {
    const account = this.account;
    const sections = [];
    if (account.stale) sections.push({ section: 'Salesforce record', asOf: account.asOf });
    if (account.credit?.stale) sections.push({ section: 'Credit', asOf: account.credit.asOf });
    const oldest = (rows) =>
      (rows ?? [])
        .filter((row) => row.stale)
        .map((row) => row.asOf)
        .sort()[0];
    const invoices = oldest(account.openInvoices);
    if (invoices) sections.push({ section: 'Open invoices', asOf: invoices });
    const orders = oldest(account.orders);
    if (orders) sections.push({ section: 'Orders', asOf: orders });
    return sections;
  }

  get credit() {
    return this.account.credit ?? null;
  }

  get creditUnavailable() {
    return !this.account.credit;
  }

  get invoicesUnavailable() {
    return this.account.openInvoices === null || this.account.openInvoices === undefined;
  }

  get invoices() {
    return (this.account.openInvoices ?? []).map((invoice) => ({
      ...invoice,
      rowClass: invoice.isOverdue ? 'slds-hint-parent c360-overdue' : 'slds-hint-parent',
      stateText: invoice.isOverdue ? `${invoice.daysOverdue} days overdue` : 'Open',
      stateClass: invoice.isOverdue ? 'slds-text-color_error' : '',
    }));
  }

  get hasInvoices() {
    return this.invoices.length > 0;
  }

  get invoiceSummary() {
    if (this.invoicesUnavailable) return '';
    const invoices = this.account.openInvoices ?? [];
    const overdue = invoices.filter((invoice) => invoice.isOverdue).length;
    return `${invoices.length} open, ${overdue} overdue`;
  }

  get ordersUnavailable() {
    return this.account.orders === null || this.account.orders === undefined;
  }

  get orders() {
    return (this.account.orders ?? []).map((order) => {
      const shipments = order.shipments ?? [];
      return {
        ...order,
        shipments,
        hasShipments: shipments.length > 0,
        shippedText: order.fullyShipped ? 'Fully shipped' : shipments.length > 0 ? 'Partly shipped' : 'Not shipped',
        fromQuote: order.externalDocumentNumber?.startsWith('SFQ-') ?? false,
      };
    });
  }

  get hasOrders() {
    return this.orders.length > 0;
  }

  get quotes() {
    const canValidate = this.viewer?.canValidateQuotes === true;
    const canSubmit = this.viewer?.canSubmitQuotes === true;
    return (this.account.quotes ?? []).map((quote) => {
      const erpSync = this.settledSync[quote.id] ?? quote.erpSync;
      return {
        ...quote,
        erpSync,
        syncText: [erpSync?.status ?? 'Not Submitted', erpSync?.orderNumber].filter(Boolean).join(' · '),
        actionable: canValidate || canSubmit,
        canValidate,
        canSubmit,
      };
    });
  }

  get quotesUnavailable() {
    return this.account.quotes === null || this.account.quotes === undefined;
  }

  get hasQuotes() {
    return this.quotes.length > 0;
  }
}
