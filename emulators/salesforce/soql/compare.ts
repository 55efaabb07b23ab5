// How SOQL compares values: text case-insensitively (`=`, `LIKE`, and sorting: "Sorting is case
// insensitive", SOQL reference ORDER BY), ids on their 18-character form, dates as days and
// date-times as instants. Also the decoding of SOQL string literals, whose escapes the parser keeps.
import { parseDateTime } from '../field-values.js';
import type { FieldMeta } from '../schema.js';
import { epochDay } from './date-literals.js';

export type Category = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';
export type Comparable = string | number | boolean;

export function categoryOf(field: FieldMeta): Category {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
    case 'date':
    case 'datetime':
      return field.type;
    default:
      return 'text';
  }
}

/** A stored value in the form comparisons use, or null. */
export function comparable(category: Category, value: unknown): Comparable | null {
  if (value === null || value === undefined) return null;
  switch (category) {
    case 'text':
      return String(value).toLowerCase();
    case 'id':
      return String(value);
    case 'number':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    case 'date':
      return epochDay(String(value));
    case 'datetime':
      return parseDateTime(String(value));
  }
}

export function compareComparable(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// "Quoted String Escape Sequences" (SOQL and SOSL Reference): \n \r \t \b \f in either case,
// \" \' \\, and \uXXXX for any character; \% and \_ stay escapes inside LIKE (likePattern).
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** The escape starting at body[i] (a backslash): what it stands for and how many characters it takes. */
function readEscape(body: string, i: number): { text: string; length: number } {
  const next = body[i + 1]!;
  if ((next === 'u' || next === 'U') && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
    return { text: String.fromCharCode(Number.parseInt(body.slice(i + 2, i + 6), 16)), length: 6 };
  }
  return { text: ESCAPES[next.toLowerCase()] ?? next, length: 2 };
}

/** The text of a quoted SOQL string literal (`'O\'Brien'` → `O'Brien`). */
export function decodeStringLiteral(quoted: string): string {
  const body = quoted.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length;) {
    if (body[i] === '\\' && i + 1 < body.length) {
      const escape = readEscape(body, i);
      out += escape.text;
      i += escape.length;
    } else {
      out += body[i];
      i += 1;
    }
  }
  return out;
}

/**
 * A LIKE pattern as an anchored, case-insensitive regular expression: `%` any run of characters,
 * `_` exactly one; `\%` and `\_` match themselves.
 */
export function likePattern(quoted: string): RegExp {
  const body = quoted.slice(1, -1);
  let source = '';
  for (let i = 0; i < body.length;) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      const escape = readEscape(body, i);
      source += escapeRegExp(escape.text);
      i += escape.length;
      continue;
    }
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
    i += 1;
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
