// Record ids at the API boundary: Salesforce accepts the case-sensitive 15-character form and the
// 18-character form everywhere and always answers with 18 (shared/reference: "Emit 18, accept both").
import { isValidSalesforceId, to18 } from '../seed/salesforce-id.js';

/** The 18-character form of a well-formed 15/18-character id, or null for anything else. */
export function normalizeId(raw: unknown): string | null {
  return typeof raw === 'string' && isValidSalesforceId(raw) ? to18(raw) : null;
}

export function keyPrefixOf(id18: string): string {
  return id18.slice(0, 3);
}
