// The opaque `$skiptoken` of server-driven paging (OData 4.0 §11.2.5.7): where the next page starts
// and which query it belongs to. The offset is safe to hand out (the ERP subgraph scopes rows to
// the caller whatever the offset); the query hash makes a token from another query a 400 instead of
// a silently wrong page. The hash covers what decides the order of the rows — entity set, filter,
// search and order — and not $select, $count or $top, which a client may change between pages.
import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';

const VERSION = 'v1';

/** A short digest of what decides the row sequence, as the GraphQL row query will see it. */
export function queryHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeSkiptoken(offset: number, hash: string): string {
  return Buffer.from(`${VERSION}.${offset}.${hash}`, 'utf8').toString('base64url');
}

/** The offset a token continues from; 400 when it is not ours or belongs to another query. */
export function decodeSkiptoken(token: string, expectedHash: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const match = /^v1\.(\d{1,10})\.([A-Za-z0-9_-]{16})$/.exec(decoded);
  if (!match)
    throw badRequest('$skiptoken is not a token this service issued; follow @odata.nextLink as given.', '$skiptoken');
  if (match[2] !== expectedHash) {
    throw badRequest(
      '$skiptoken belongs to another query (entity set, $filter, $search or $orderby differ); follow @odata.nextLink as given.',
      '$skiptoken',
    );
  }
  return Number(match[1]);
}
