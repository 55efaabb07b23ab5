// A partner's row scope on validateQuote and submitQuote. Partners may call neither
// (@requiresScopes, enforced by the access plugins); behind that, as defense in depth, a partner's
// quote must belong to one of its accounts. A quote outside the scope is refused exactly like a
// quote that does not exist (NOT_FOUND, same message), before anything is read from the ERP or
// written anywhere. Costs other roles nothing: they are not checked here.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/error-codes.js';
import { canSeeCustomer } from '../shared/partner-scope.js';
import type { ErpContext } from './context.js';
import { quoteIdArgument } from './quote-to-order/submission-request.js';

export async function requireQuoteInScope(
  argumentName: string,
  quoteId: unknown,
  { identity, quoteToOrder, call }: Pick<ErpContext, 'identity' | 'quoteToOrder' | 'call'>,
): Promise<void> {
  if (identity.partner === null) return;
  const id = quoteIdArgument(argumentName, quoteId);
  const customer = await quoteToOrder.quoteCustomer(id, call);
  if (!canSeeCustomer(identity, customer)) {
    throw new GraphQLError(`There is no quote ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  }
}
