// How the ERP connector is built. The ERP subgraph's
// config.ts fills it from ERP_* variables; nothing here reads process.env.
export interface ErpConnectorOptions {
  /** Which adapter implements the ERP port. Only Business Central exists today (tryton comes later). */
  adapter: 'business-central';
  /** API root, e.g. http://127.0.0.1:4020/api/v2.0 (no trailing slash needed). */
  baseUrl: string;
  /**
   * The Analytics API root (order lines are read there, business-central/row-lines.ts); default:
   * next to `baseUrl`, `.../api/v2.0` → `.../api/microsoft/analytics/v1.0`.
   */
  analyticsBaseUrl?: string;
  /** The company (GUID); when absent, the first of `GET {baseUrl}/companies` is used. */
  companyId?: string;
  /** OAuth 2.0 token endpoint (client credentials grant). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://api.businesscentral.dynamics.com/.default */
  scope: string;
  /** Deadline for one port call (all of its HTTP requests, including paging and token fetch). */
  timeoutMs: number;
  /**
   * Rows one row query may ask of the ERP across all its requests (row-query.ts,
   * DEFAULT_ROW_READ_BUDGET when absent); a query that would need more is refused before any of them.
   */
  rowReadBudget?: number;
}
