// Tryton's JSON-RPC values (trytond/protocols/jsonrpc.py JSONEncoder/JSONDecoder): decimals, dates
// and date-times travel as objects tagged with "__class__". Decoded, they become what the port uses
// (decimal strings, YYYY-MM-DD, ISO 8601 UTC); encoded, port values become Tryton's in domains and
// writes. Tryton sends naive date-times in UTC (its create_date/write_date).
import { Big } from 'big.js';

/** A decimal as Tryton reads it: {"__class__": "Decimal", "decimal": "550.00"}. */
export function trytonDecimal(value: string): { __class__: 'Decimal'; decimal: string } {
  return { __class__: 'Decimal', decimal: value };
}

/** A date as Tryton reads it: {"__class__": "date", "year": 2026, "month": 11, "day": 22}. */
export function trytonDate(value: string): { __class__: 'date'; year: number; month: number; day: number } {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return { __class__: 'date', year, month, day };
}

const two = (n: number) => String(n).padStart(2, '0');

/** JSON.parse reviver: Tryton's tagged values as port values; anything else unchanged. */
export function reviveTrytonValue(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const tagged = value as Record<string, unknown>;
  switch (tagged['__class__']) {
    case 'Decimal':
      return typeof tagged['decimal'] === 'string' ? normalizeDecimal(tagged['decimal']) : value;
    case 'date':
      return `${String(tagged['year']).padStart(4, '0')}-${two(Number(tagged['month']))}-${two(Number(tagged['day']))}`;
    case 'datetime': {
      const ms = Math.floor(Number(tagged['microsecond'] ?? 0) / 1000);
      return new Date(
        Date.UTC(
          Number(tagged['year']),
          Number(tagged['month']) - 1,
          Number(tagged['day']),
          Number(tagged['hour'] ?? 0),
          Number(tagged['minute'] ?? 0),
          Number(tagged['second'] ?? 0),
          ms,
        ),
      ).toISOString();
    }
    default:
      return value;
  }
}

/** Python's Decimal text may be "1E+3" or "0E-10"; the port wants plain digits (exact, by big.js). */
function normalizeDecimal(text: string): string {
  if (!/[eE]/.test(text)) return text;
  try {
    return new Big(text).toFixed();
  } catch {
    return text;
  }
}
