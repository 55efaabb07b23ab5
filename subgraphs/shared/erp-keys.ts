// ERP business keys (customer, order and item numbers) as both subgraphs accept them. Business Central
// numbers are Code[20] values such as C10000, S-ORD101001 or 1896-S; anything outside this shape is
// refused before it reaches an OData filter.
import { badUserInput } from './errors.js';

const ERP_KEY = /^[A-Za-z0-9._-]{1,20}$/;

export function isErpKey(value: unknown): value is string {
  return typeof value === 'string' && ERP_KEY.test(value);
}

/** The argument's value when it is an ERP key, else BAD_USER_INPUT naming the argument. */
export function erpKeyArgument(argumentName: string, value: string): string {
  if (!isErpKey(value)) {
    throw badUserInput(
      argumentName,
      `Argument "${argumentName}" must be 1 to 20 characters of letters, digits, '-', '_' or '.'.`,
    );
  }
  return value;
}
