// The console's shell: who is signed in, and which screen the URL asks for. Routes live in the
// location hash (#/search?q=…, #/accounts/<Salesforce id>) so a link or a reload opens the same
// screen, and the gateway serves one page for all of them.
import { LightningElement } from 'lwc';
import { consoleConfig } from 'c360/config';
import { clearSession, loadSession } from 'c360/session';

/**
 * @param {string} hash
 * @returns {{ name: 'search', query: string } | { name: 'account', id: string }}
 */
function parseRoute(hash) {
  const account = /^#\/accounts\/([^/?#]+)/.exec(hash);
  if (account?.[1]) return { name: 'account', id: decodeURIComponent(account[1]) };
  const query = /^#\/search\?q=([^&#]*)/.exec(hash);
  return { name: 'search', query: query?.[1] ? decodeURIComponent(query[1]) : '' };
}

export default class Console extends LightningElement {
  session = loadSession();
  route = parseRoute(window.location.hash);
  notice = '';

  onHashChange = () => {
    this.route = parseRoute(window.location.hash);
  };

  connectedCallback() {
    window.addEventListener('hashchange', this.onHashChange);
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  get signedIn() {
    return this.session !== null;
  }

  get showSearch() {
    return this.route.name === 'search';
  }

  get searchQuery() {
    return this.route.name === 'search' ? this.route.query : '';
  }

  get accountId() {
    return this.route.name === 'account' ? this.route.id : '';
  }

  get role() {
    return this.session?.role ?? '';
  }

  get who() {
    if (!this.session) return '';
    const role = this.session.partnerId ? `partner ${this.session.partnerId}` : this.session.role || 'no role';
    return this.session.subject ? `${this.session.subject} · ${role}` : role;
  }

  get devTokenEndpoint() {
    return consoleConfig().devTokenEndpoint;
  }

  handleSignIn(event) {
    this.session = event.detail.session;
    this.notice = '';
  }

  handleSignOut() {
    clearSession();
    this.session = null;
    this.notice = '';
  }

  // Any screen's request answered UNAUTHENTICATED (token expired, revoked, or from an issuer the
  // gateway does not trust): the session is over, back to sign-in with the reason.
  handleUnauthenticated() {
    clearSession();
    this.session = null;
    this.notice =
      'Your session has ended: the gateway did not accept the token (expired, or not issued by a trusted issuer). Sign in again.';
  }
}
