// Sign-in. In the embedded default the gateway's development issuer is on and the page offers one
// button per role (partners with their demo scope); the token then comes from POST /app/dev-token.
// With real issuers only, paste a bearer token from your identity provider.
import { LightningElement, api } from 'lwc';
import { consoleConfig } from 'c360/config';
import { fetchDevToken, startSession } from 'c360/session';

const ROLE_LABELS = { sales: 'Sales', service: 'Service', finance: 'Finance', integration: 'Integration' };

export default class SignIn extends LightningElement {
  @api devTokenEndpoint = null;
  error = '';
  busy = false;

  get devAvailable() {
    return Boolean(this.devTokenEndpoint);
  }

  get devChoices() {
    const config = consoleConfig();
    return [
      ...config.devRoles.map((role) => ({ key: role, role, partnerId: undefined, label: ROLE_LABELS[role] ?? role })),
      ...config.devPartners.map((partner) => ({
        key: partner.id,
        role: 'partner',
        partnerId: partner.id,
        label: partner.label,
      })),
    ];
  }

  async handleDevSignIn(event) {
    const { role, partner } = event.currentTarget.dataset;
    this.error = '';
    this.busy = true;
    try {
      const token = await fetchDevToken(this.devTokenEndpoint, { role, ...(partner && { partnerId: partner }) });
      this.signIn(token);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  handlePasteSignIn(event) {
    event.preventDefault();
    const token = this.template
      .querySelector('textarea[name="token"]')
      .value.replace(/^Bearer\s+/i, '')
      .trim();
    if (!token) {
      this.error = 'Paste a bearer token first.';
      return;
    }
    this.signIn(token);
  }

  signIn(token) {
    try {
      const session = startSession(token);
      this.dispatchEvent(new CustomEvent('signin', { detail: { session } }));
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }
}
