// The only way values enter SOQL: every literal goes through one of these functions, so user input is
// never concatenated into a statement unescaped. Escapes follow the SOQL reference, "Quoted String
// Escape Sequences" (developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/
// sforce_api_calls_soql_select_quotedstringescapes.htm): \n \r \t \b \f \" \' \\ everywhere, \_ and
// \% in LIKE expressions only, \uXXXX for any other character; "if you use a backslash character in
// any other context, an error occurs".
import { normalizeSalesforceId } from './ids.js';

/** Thrown when a value cannot be put into SOQL safely; the connector maps it to 'rejected'. */
export class SoqlInputError extends Error {
  override readonly name = 'SoqlInputError';
}

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Every other character that can end a line or token in some parser goes out as \uXXXX: the C0 and
// C1 control characters (NEL U+0085 among them), the line and paragraph separators U+2028 and U+2029
// (a raw one made the SOQL unparseable: MALFORMED_QUERY), and a lone UTF-16 surrogate, which is no
// character at all and cannot be percent-encoded into the query URL (encodeURIComponent throws).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE =
  /[\\'"\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeBody(value: string): string {
  return value.replace(
    NEEDS_ESCAPE,
    (ch) => NAMED_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function requireString(value: unknown): string {
  if (typeof value !== 'string') throw new SoqlInputError(`Not a string: ${typeof value}`);
  return value;
}

/** A quoted SOQL string literal for `=`, `!=`, `<`, `>`, `IN (...)`. */
export function soqlString(value: string): string {
  return `'${escapeBody(requireString(value))}'`;
}

/**
 * A quoted LIKE pattern matching names that contain `value` literally: `%` and `_` in the value are
 * escaped (\% and \_ are valid in LIKE expressions only), then wrapped in `%...%`.
 */
export function soqlLikeContains(value: string): string {
  const body = escapeBody(requireString(value)).replace(/[%_]/g, (ch) => `\\${ch}`);
  return `'%${body}%'`;
}

/** A quoted 18-character id; the id is re-validated (ids are alphanumeric, so nothing to escape). */
export function soqlId(id: string): string {
  const id18 = normalizeSalesforceId(id);
  if (id18 === null) throw new SoqlInputError(`Not a Salesforce id: ${JSON.stringify(id)}`);
  return `'${id18}'`;
}

/** `('id1','id2',...)` of 18-character ids; every id is re-validated, any invalid one throws. */
export function soqlIdList(ids: readonly string[]): string {
  if (ids.length === 0) throw new SoqlInputError('An IN list needs at least one id');
  return `(${ids.map(soqlId).join(',')})`;
}

/** `('a','b',...)` of escaped string literals. */
export function soqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new SoqlInputError('An IN list needs at least one value');
  return `(${values.map(soqlString).join(',')})`;
}

/** A LIMIT value: a positive safe integer, never text. */
export function soqlLimit(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new SoqlInputError(`Not a valid LIMIT: ${n}`);
  return String(n);
}
