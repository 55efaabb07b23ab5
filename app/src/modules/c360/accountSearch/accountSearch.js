// Search accounts by name (accounts(filter: { nameContains })). The query lives in the URL
// (#/search?q=…), so the back button returns to the same results. A partner's search returns only
// the partner's own accounts: the graph filters, the console does nothing special.
import { LightningElement, api } from 'lwc';
import { errorCodes } from 'c360/graphqlClient';
import { searchAccounts } from 'c360/operations';
import { describeFailure } from 'c360/failures';

export default class AccountSearch extends LightningElement {
  _query = '';
  /** What is typed in the box: the input is bound to it, so a re-render never wipes typing. */
  draft = '';
  results = [];
  hasMore = false;
  loading = false;
  searched = false;
  failure = null;
  sequence = 0;

  @api
  get query() {
    return this._query;
  }
  set query(value) {
    this._query = value ?? '';
    this.draft = this._query;
    if (this.isConnected) this.search();
  }

  connectedCallback() {
    this.search();
  }

  handleInput(event) {
    this.draft = event.target.value;
  }

  handleSubmit(event) {
    event.preventDefault();
    const text = this.draft.trim();
    const hash = `#/search?q=${encodeURIComponent(text)}`;
    if (window.location.hash === hash) this.search();
    else window.location.hash = hash;
  }

  async search() {
    const sequence = ++this.sequence;
    this.loading = true;
    this.failure = null;
    const result = await searchAccounts(this._query);
    if (sequence !== this.sequence) return; // a newer search superseded this one
    this.loading = false;
    this.searched = true;
    if (errorCodes(result).has('UNAUTHENTICATED')) {
      this.dispatchEvent(new CustomEvent('unauthenticated', { bubbles: true, composed: true }));
      return;
    }
    const connection = result.data?.accounts;
    if (!connection) {
      this.results = [];
      this.failure = describeFailure(result, 'The search failed.');
      return;
    }
    this.results = connection.nodes.map((account) => ({
      ...account,
      href: `#/accounts/${encodeURIComponent(account.id)}`,
      subtitle: [account.erpCustomerNumber, account.industry, account.type].filter(Boolean).join(' · '),
    }));
    this.hasMore = connection.pageInfo.hasNextPage;
    if (result.errors.length > 0) this.failure = describeFailure(result, 'Some results could not be read.');
  }

  get hasResults() {
    return this.results.length > 0;
  }

  get noResults() {
    return this.searched && !this.loading && !this.failure && this.results.length === 0;
  }
}
