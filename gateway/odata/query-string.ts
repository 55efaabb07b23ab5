// The query string of an OData request, decoded by hand rather than by Express's parser: system
// query options must be unique (a second `$filter` is an error, not an array), names are
// case-sensitive, and both `+` and `%20` must read as a space (Salesforce sends either). The order
// matters: `+` becomes a space BEFORE percent-decoding, so an encoded plus (`%2B`, e.g. in a
// date-time offset) stays a plus.
import { badRequest, notImplemented } from './errors.js';

/** System query options by name (`$filter` → its decoded value). */
export interface DecodedQuery {
  readonly options: ReadonlyMap<string, string>;
}

export function decodeComponent(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    throw badRequest(`The query option ${what} is not valid percent-encoding.`);
  }
}

/** The part of a request URL after `?` (empty when none). */
export function rawQueryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

export function decodeQuery(rawQuery: string): DecodedQuery {
  const options = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decodeComponent(rawName, JSON.stringify(rawName));
    const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1), name);
    if (name.startsWith('@')) throw notImplemented(`Parameter aliases (${name}) are not supported.`, name);
    // Custom query options (no $ prefix) are the service's to define; this service defines none and
    // ignores them, as OData allows.
    if (!name.startsWith('$')) continue;
    if (options.has(name)) throw badRequest(`The query option ${name} is given more than once.`, name);
    options.set(name, value);
  }
  return { options };
}
