// Salesforce record ids. A 15-character id is case-sensitive; the 18-character form appends one
// checksum character per block of 5 so the id survives case-insensitive systems
// (shared/reference/salesforce-rest-and-jsforce.md: "Emit 18, accept both"). The emulator mints
// ids with the same anatomy as a real org: 3-char key prefix (object type) + 3 chars of pod/reserved
// + 9-char base62 counter.

import { SeedError } from './errors.js';

/** Key prefixes of the objects the emulator serves (the first 3 characters of every id). */
export const KEY_PREFIXES = {
  User: '005',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Product2: '01t',
  Quote: '0Q0',
  QuoteLineItem: '0QL',
  Case: '500',
  Organization: '00D',
} as const;

export type KeyPrefixedObject = keyof typeof KEY_PREFIXES;

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
// Salesforce's base62 digit order: digits, then upper case, then lower case.
const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const COUNTER_LENGTH = 9;
const MAX_COUNTER = Math.min(62 ** COUNTER_LENGTH - 1, Number.MAX_SAFE_INTEGER);
const ALPHANUMERIC = /^[0-9A-Za-z]+$/;

function isUpperAsciiLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}

/**
 * Char codes of the 3 checksum characters of a 15-character id given as char codes: per block of
 * 5, bit i is set when the block's char i is an upper-case letter; the 5-bit value indexes A-Z0-5.
 * (No closures here: it runs once per minted id, and tsx wraps named closures in a helper call.)
 */
function checksumCodes(codes: readonly number[]): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      if (isUpperAsciiLetter(codes[block * 5 + i]!)) bits |= 1 << i;
    }
    out[block] = CHECKSUM_ALPHABET.charCodeAt(bits);
  }
  return out;
}

/** The 3 checksum characters of a 15-character id. */
function checksum(id15: string): string {
  const codes: number[] = [];
  for (let i = 0; i < 15; i++) codes.push(id15.charCodeAt(i));
  return String.fromCharCode(...checksumCodes(codes));
}

/** The 18-character form of a 15-character id. Throws SeedError MALFORMED_ID on anything else. */
export function salesforceId18(id15: string): string {
  if (typeof id15 !== 'string' || id15.length !== 15 || !ALPHANUMERIC.test(id15)) {
    throw new SeedError('MALFORMED_ID', `Not a 15-character Salesforce id: ${JSON.stringify(id15)}`);
  }
  return id15 + checksum(id15);
}

/** True for a 15-character alphanumeric id, or an 18-character one whose checksum matches. */
export function isValidSalesforceId(s: unknown): boolean {
  if (typeof s !== 'string' || (s.length !== 15 && s.length !== 18) || !ALPHANUMERIC.test(s)) return false;
  return s.length === 15 || checksum(s.slice(0, 15)) === s.slice(15);
}

/** Normalises a 15- or 18-character id to 18 characters. Throws SeedError MALFORMED_ID when invalid. */
export function to18(s: string): string {
  if (typeof s !== 'string' || !isValidSalesforceId(s)) {
    throw new SeedError('MALFORMED_ID', `Not a valid Salesforce id: ${JSON.stringify(s)}`);
  }
  return s.length === 18 ? s : s + checksum(s);
}

/**
 * The 18-character id for a counter value, built as one flat string from char codes: the seed keeps
 * ~130,000 of them alive, and concatenation would cost a tree of string pieces each.
 */
function mintId(idPrefix: string, counter: number): string {
  const codes = new Array<number>(18);
  for (let i = 0; i < 6; i++) codes[i] = idPrefix.charCodeAt(i);
  for (let i = 14; i >= 6; i--) {
    codes[i] = BASE62_DIGITS.charCodeAt(counter % 62);
    counter = Math.floor(counter / 62);
  }
  const [c1, c2, c3] = checksumCodes(codes);
  codes[15] = c1;
  codes[16] = c2;
  codes[17] = c3;
  return String.fromCharCode(...codes);
}

function decodeBase62(s: string): number {
  let n = 0;
  for (const ch of s) n = n * 62 + BASE62_DIGITS.indexOf(ch);
  return n;
}

/** A stateful id minter for one object type. */
export interface IdFactory {
  readonly keyPrefix: string;
  /** The 6-character prefix every id of this factory starts with (key prefix + pod). */
  readonly idPrefix: string;
  /** Counter of the last id minted (0 before the first); ids are dense, so after the seed it equals the record count. */
  readonly lastCounter: number;
  /** Mints the next id (18 characters). */
  next(): string;
  /**
   * Makes later next() calls mint ids after `id` (15 or 18 characters, minted with the same key
   * prefix and pod). An emulator that loads seeded records calls it for each to continue the counter
   * without collisions. Throws SeedError MALFORMED_ID / ID_PREFIX_MISMATCH on a foreign id.
   */
  advancePast(id: string): void;
}

/**
 * Deterministic id factory: 15-char base = keyPrefix (3) + podPrefix (3) + 9-char zero-padded
 * base62 counter, returned as 18 characters. `lastCounter` starts the counter (the first id minted
 * is lastCounter + 1).
 */
export function makeIdFactory(keyPrefix: string, podPrefix = '8d0', lastCounter = 0): IdFactory {
  for (const [label, part] of [
    ['keyPrefix', keyPrefix],
    ['podPrefix', podPrefix],
  ] as const) {
    if (typeof part !== 'string' || part.length !== 3 || !ALPHANUMERIC.test(part)) {
      throw new SeedError('MALFORMED_ID', `${label} must be 3 alphanumeric characters, got ${JSON.stringify(part)}`);
    }
  }
  if (!Number.isSafeInteger(lastCounter) || lastCounter < 0 || lastCounter > MAX_COUNTER) {
    throw new SeedError('MALFORMED_ID', `lastCounter must be an integer in 0..${MAX_COUNTER}, got ${lastCounter}`);
  }
  const idPrefix = keyPrefix + podPrefix;
  let counter = lastCounter;
  return {
    keyPrefix,
    idPrefix,
    get lastCounter() {
      return counter;
    },
    next() {
      if (counter >= MAX_COUNTER) {
        throw new SeedError('ID_SPACE_EXHAUSTED', `No ids left for prefix ${idPrefix}`);
      }
      counter += 1;
      return mintId(idPrefix, counter);
    },
    advancePast(id: string) {
      const id18 = to18(id);
      if (!id18.startsWith(idPrefix)) {
        throw new SeedError('ID_PREFIX_MISMATCH', `Id ${id} was not minted with prefix ${idPrefix}`);
      }
      counter = Math.max(counter, decodeBase62(id18.slice(6, 15)));
    },
  };
}
