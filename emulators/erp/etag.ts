// `@odata.etag` values: a weak ETag derived from a hash of the record, cached per object (records
// are immutable: a change makes a new object, hence a new ETag). The shape imitates Business Central's
// (W/"JzE5O…" — base64 of `'<length>;<digits>;00;'`); clients must treat it as opaque. Writes
// check them against If-Match.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { BcError } from './errors.js';

export class EtagCache {
  private readonly cache = new WeakMap<object, string>();

  etag(record: object): string {
    let tag = this.cache.get(record);
    if (tag === undefined) {
      const hash = createHash('sha1').update(JSON.stringify(record)).digest();
      const digits = (hash.readBigUInt64BE(0) % 10_000_000_000_000_000_000n).toString().padStart(19, '0');
      tag = `W/"${Buffer.from(`'${digits.length};${digits};00;'`, 'utf8').toString('base64')}"`;
      this.cache.set(record, tag);
    }
    return tag;
  }
}

/** If-Match on writes (BC requires it): `*` or the entity's current ETag. */
export function checkIfMatch(req: Request, currentEtag: string): void {
  const header = req.get('if-match');
  if (!header) {
    throw new BcError(
      400,
      'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
    );
  }
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.includes('*') && !tags.includes(currentEtag)) {
    throw new BcError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
  }
}
