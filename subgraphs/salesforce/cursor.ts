// Opaque Query.accounts cursors: base64url of the (name, id) keyset position the connector pages by
// (AccountPosition). Opaque so clients cannot build them; validated on the way back in because a
// client can still send anything.
import { z } from 'zod';
import { normalizeSalesforceId } from '../../connectors/salesforce/ids.js';
import type { AccountPosition, SfAccountRecord } from '../../connectors/salesforce/types.js';

const positionSchema = z.object({
  // Account.Name is at most 255 characters.
  name: z.string().max(255),
  id: z.string(),
});

export function encodeAccountCursor(account: Pick<SfAccountRecord, 'name' | 'id'>): string {
  const position: AccountPosition = { name: account.name, id: account.id };
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position encoded in `cursor`, or null when it is not one of ours. */
export function decodeAccountCursor(cursor: string): AccountPosition | null {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = positionSchema.safeParse(json);
  if (!parsed.success) return null;
  const id = normalizeSalesforceId(parsed.data.id, '001');
  return id === null ? null : { name: parsed.data.name, id };
}
