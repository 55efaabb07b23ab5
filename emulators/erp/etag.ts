// `@odata.etag` values: a weak ETag derived from a hash of the record, cached per object (records
// are immutable: a change makes a new object, hence a new ETag). The shape imitates Business Central's
// (W/"JzE5O…" — base64 of `'<length>;<digits>;00;'`); clients must treat it as opaque.
import { createHash } from 'node:crypto';

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
