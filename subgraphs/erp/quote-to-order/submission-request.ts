// submitQuote's input as the idempotency record keeps it: the idempotency key (format below), the
// canonical request and its hash. The hash is over the canonical form, so the 15- and 18-character
// spellings of one quote id are the same request, and anything else about the call (correlation id,
// headers) is not part of it.
import { createHash } from 'node:crypto';
import { normalizeSalesforceId } from '../../../connectors/salesforce/ids.js';
import { badUserInput } from '../../shared/errors.js';

export const SUBMIT_QUOTE_OPERATION = 'submitQuote';

/** 8 to 128 characters of letters, digits, '_' and '-': a UUID fits, and so does any ULID or slug. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

const QUOTE_KEY_PREFIX = '0Q0';

export interface SubmitQuoteRequest {
  /** 18-character Salesforce quote id. */
  readonly quoteId: string;
}

export function idempotencyKeyArgument(value: unknown): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw badUserInput(
      'input.idempotencyKey',
      'Argument "input.idempotencyKey" must be 8 to 128 characters of letters, digits, "_" or "-" (a UUID, for instance).',
    );
  }
  return value;
}

export function quoteIdArgument(argumentName: string, value: unknown): string {
  const id = typeof value === 'string' ? normalizeSalesforceId(value, QUOTE_KEY_PREFIX) : null;
  if (id === null) {
    throw badUserInput(
      argumentName,
      `Argument "${argumentName}" is not a valid Salesforce quote id (15 or 18 characters, starting with ${QUOTE_KEY_PREFIX}).`,
    );
  }
  return id;
}

/** sha256 of the operation and the canonical request, as hex. */
export function requestHash(operation: string, request: SubmitQuoteRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, request.quoteId]))
    .digest('hex');
}
