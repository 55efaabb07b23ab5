// Salesforce record ids. A 15-character id is case-sensitive; the 18-character form appends one
// checksum character per block of 5 so it survives case-insensitive systems
// (shared/reference/salesforce-rest-and-jsforce.md: "Emit 18, accept both"). The emulator keeps its
// own copy of this algorithm on purpose: emulators import nothing from the product.

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;

/** Per block of 5 characters a 5-bit number, bit i set when character i is an upper-case A-Z. */
function checksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 15; block += 5) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(block + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The 18-character form of a 15- or 18-character Salesforce id, or null when the input is not one
 * (wrong length, non-alphanumeric, checksum mismatch, or — when given — a different key prefix, the
 * first 3 characters naming the object type, e.g. '001' for Account).
 */
export function normalizeSalesforceId(input: string, expectedPrefix?: string): string | null {
  if (typeof input !== 'string' || !ID_SHAPE.test(input)) return null;
  const base = input.slice(0, 15);
  const id18 = base + checksum(base);
  if (input.length === 18 && input !== id18) return null;
  if (expectedPrefix !== undefined && !id18.startsWith(expectedPrefix)) return null;
  return id18;
}
