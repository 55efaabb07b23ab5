// SOQL text to the parser's syntax tree (@jetstreamapp/soql-parser-js, the maintained successor of
// soql-parser-js; shared/reference). A query the parser rejects is MALFORMED_QUERY, as in Salesforce.
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors.js';

export function parseSoql(soql: string): Query {
  if (soql.trim() === '') throw malformedQuery('A query string must be provided.');
  try {
    return parseQuery(soql);
  } catch (err) {
    // The parser's message names the unexpected token; keep its first line (the rest lists every
    // token it could have accepted, which helps nobody).
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw malformedQuery(detail ?? 'unexpected token');
  }
}
