// Server-driven paging's `$skiptoken`: opaque to clients (OData v4 §11.2.5.7), here the sort key
// of the last row served — the $orderby values followed by the row's ordinal in its table. The next
// page starts strictly after that key, so rows inserted or deleted between pages neither shift nor
// repeat the rows already served (the way Business Central keys its tokens on the record, not on
// an offset).
import { badRequest } from '../errors.js';

export type KeyValue = string | number | boolean | null;

export interface SkipToken {
  /** $orderby values of the last row served, then its ordinal. */
  key: KeyValue[];
}

export function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify(token.key), 'utf8').toString('base64url');
}

export function decodeSkipToken(text: string, orderByLength: number): SkipToken {
  const invalid = () => badRequest('The $skiptoken is not valid for this request; follow @odata.nextLink as returned.');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== orderByLength + 1) throw invalid();
  if (typeof key[key.length - 1] !== 'number') throw invalid();
  for (const value of key) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw invalid();
  }
  return { key: key as KeyValue[] };
}
