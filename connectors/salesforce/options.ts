// How the Salesforce connector is configured (config contract, "Connector construction"). Built by
// subgraphs/salesforce/config.ts from the environment; the connector itself never reads process.env.

export type SalesforceAuthOptions =
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  | { flow: 'jwt_bearer'; clientId: string; username: string; privateKeyPem: string; audience?: string }
  | { flow: 'password'; clientId: string; clientSecret: string; username: string; password: string };

export interface SalesforceConnectorOptions {
  /** e.g. https://login.salesforce.com, or the emulator's base URL. */
  loginUrl: string;
  /** REST API version without the "v", e.g. "62.0". */
  apiVersion: string;
  /** Deadline of every connector call (all pages, re-authorization and retry included). */
  timeoutMs: number;
  auth: SalesforceAuthOptions;
}
