// The ERP emulator's own data, read straight from its Business Central API (not through the graph):
// the oracle the OData bridge's answers are compared with in end-to-end tests.
import { loadErpEmulatorConfig } from '../../../emulators/erp/index.js';

export type RawRow = Record<string, unknown>;

export interface RawErp {
  /** Every row of an API v2.0 entity set (salesOrders with their salesOrderLines). */
  rows(entitySet: 'customers' | 'salesInvoices' | 'salesOrders' | 'salesShipments' | 'items'): Promise<RawRow[]>;
}

export async function rawErp(erpEmulatorUrl: string): Promise<RawErp> {
  const { credentials } = loadErpEmulatorConfig({});
  const tokenResponse = await fetch(`${erpEmulatorUrl}/${credentials.tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      scope: 'https://api.businesscentral.dynamics.com/.default',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}` };
  const api = `${erpEmulatorUrl}/api/v2.0`;
  const companies = (await (await fetch(`${api}/companies`, { headers })).json()) as { value: Array<{ id: string }> };
  const company = `${api}/companies(${companies.value[0]!.id})`;
  return {
    async rows(entitySet) {
      const rows: RawRow[] = [];
      let url: string | undefined =
        `${company}/${entitySet}${entitySet === 'salesOrders' ? '?$expand=salesOrderLines' : ''}`;
      while (url) {
        const page = (await (await fetch(url, { headers })).json()) as { value: RawRow[]; '@odata.nextLink'?: string };
        rows.push(...page.value);
        url = page['@odata.nextLink'];
      }
      return rows;
    },
  };
}

/** BC's blanks (empty text) are the OData bridge's nulls. */
export const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
