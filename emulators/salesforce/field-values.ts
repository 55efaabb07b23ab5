// Field values crossing the wire. Writes arrive as JSON and are checked against the field's type
// the way the REST API does (wrong types, over-long text, bad dates and e-mail addresses fail with
// Salesforce's status codes); reads leave as JSON with date-times in Salesforce's own format
// ("2024-01-15T10:30:00.000+0000", not JavaScript's "...Z"), so a client parsing real responses
// parses ours too.
import { DmlError } from './errors.js';
import type { FieldMeta } from './schema.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
// Deliberately loose: Salesforce rejects addresses without a local part, an @ or a dotted domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

/** Milliseconds since the epoch of an ISO 8601 date-time (Salesforce's "+0000" offsets included). */
export function parseDateTime(s: string): number | null {
  if (!ISO_DATETIME.test(s)) return null;
  // Date.parse does not read "+0000" (no colon): insert it. No zone at all means UTC.
  let normalized = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(normalized)) normalized += 'Z';
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}

/** Salesforce's wire format for date-times. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function deserializeError(field: FieldMeta, kind: string, raw: unknown): DmlError {
  return new DmlError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(raw)} or request may be missing a required field`,
    [field.name],
  );
}

/**
 * The stored value for a value written to `field` (null clears). Reference ids are returned as
 * given; the store checks them against the records they point to.
 */
export function coerceForWrite(field: FieldMeta, raw: unknown): unknown {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw deserializeError(field, 'boolean', raw);
    }
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw deserializeError(field, field.type === 'int' ? 'int' : 'double', raw);
      if (field.type === 'int' && !Number.isInteger(n)) throw deserializeError(field, 'int', raw);
      const digitsBeforePoint = field.precision - field.scale;
      if (field.precision > 0 && Math.abs(Math.trunc(n)).toString().length > digitsBeforePoint) {
        throw new DmlError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${field.label}: value outside of valid range on numeric field: ${n}`,
          [field.name],
        );
      }
      return field.scale > 0 || field.type === 'double' ? n : Math.round(n);
    }
    case 'date': {
      if (typeof raw !== 'string') throw deserializeError(field, 'date', raw);
      const day = raw.length > 10 && parseDateTime(raw) !== null ? raw.slice(0, 10) : raw;
      if (!isIsoDate(day)) throw deserializeError(field, 'date', raw);
      return day;
    }
    case 'datetime': {
      if (typeof raw !== 'string') throw deserializeError(field, 'datetime', raw);
      const ms = isIsoDate(raw) ? Date.parse(`${raw}T00:00:00Z`) : parseDateTime(raw);
      if (ms === null) throw deserializeError(field, 'datetime', raw);
      return new Date(ms).toISOString();
    }
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string') throw deserializeError(field, 'id', raw);
      // An empty string clears a lookup, as null does.
      return raw.trim() === '' ? null : raw.trim();
    }
    default: {
      // Text types: Salesforce stores numbers and booleans sent to a text field as their text.
      if (typeof raw === 'object') throw deserializeError(field, 'String', JSON.stringify(raw));
      const text = String(raw);
      if (text.length > field.length) {
        throw new DmlError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.length > 40 ? `${text.slice(0, 40)}...` : text} (max length=${field.length})`,
          [field.name],
        );
      }
      if (field.type === 'email' && text !== '' && !EMAIL.test(text)) {
        throw new DmlError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
      }
      // An empty string clears a text field, as in Salesforce.
      return text === '' ? null : text;
    }
  }
}

/** A stored value as the API returns it. */
export function formatForOutput(field: FieldMeta, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'datetime' && typeof value === 'string') {
    const ms = parseDateTime(value);
    return ms === null ? value : formatDateTime(ms);
  }
  return value;
}
