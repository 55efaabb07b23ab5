// How the ERP connector is built: one shape per adapter, told apart by `kind`. The ERP subgraph's
// config.ts fills it from ERP_* variables; nothing here reads process.env.

/** What every adapter takes. */
interface CommonErpOptions {
  /** Deadline for one port call (all of its HTTP requests, including paging and sign-in). */
  timeoutMs: number;
  /**
   * Rows one row query may ask of the ERP across all its requests (row-query.ts,
   * DEFAULT_ROW_READ_BUDGET when absent); a query that would need more is refused before any of them.
   */
  rowReadBudget?: number;
}

/** Dynamics 365 Business Central, API v2.0 over OData v4 (business-central/). */
export interface BusinessCentralOptions extends CommonErpOptions {
  kind: 'business-central';
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
}

/** Tryton 6.0 over JSON-RPC (tryton/). */
export interface TrytonOptions extends CommonErpOptions {
  kind: 'tryton';
  /** The server's root, e.g. http://127.0.0.1:4040 (the database name is added to it). */
  url: string;
  database: string;
  /** A Tryton user with the sale, stock and account groups (docs/tryton.md). */
  username: string;
  password: string;
  /** The company (company.company id); when absent, the user's current company. */
  company?: number;
  /** The warehouse (stock.location id) stock is counted in and orders ship from; when absent, the only one. */
  warehouse?: number;
  /** "Today" for overdue amounts (YYYY-MM-DD); the current UTC date when absent. */
  today?: () => string;
}

export type ErpConnectorOptions = BusinessCentralOptions | TrytonOptions;
export type ErpAdapterKind = ErpConnectorOptions['kind'];
