// A customer's credit position once its invoices exist: balanceDue and the financial details come
// straight from the ledger (exact to the cent); a few customers are put over their credit limit and
// some of those on credit hold (blocked), plus a few holds for other reasons, so credit checks have
// something to refuse.

import type { GenerationContext } from './context.js';
import type { CustomerPair } from './customer.js';
import type { Ledger } from './fulfilment.js';
import { fromCents } from './money.js';
import type { BcBlocked } from './types.js';

const OVER_LIMIT_SHARE = 0.08;
/** Only a customer owing at least this much (cents) can be put over a (non-zero) limit. */
const OVER_LIMIT_MIN_BALANCE_CENTS = 200_000;
const OTHER_HOLD_SHARE = 0.02;
const OTHER_HOLDS: readonly BcBlocked[] = ['Ship', 'Invoice', 'All'];

export function settleCredit(ctx: GenerationContext, pair: CustomerPair, ledger: Ledger): void {
  const { rng } = ctx;
  const { customer } = pair;
  customer.balanceDue = fromCents(ledger.openCents);
  if (ledger.openCents >= OVER_LIMIT_MIN_BALANCE_CENTS && rng.chance(OVER_LIMIT_SHARE)) {
    // In Business Central a limit of 0 means "no limit", so an over-limit customer keeps a positive one.
    customer.creditLimit = Math.max(1000, Math.floor((ledger.openCents * 0.7) / 100 / 1000) * 1000);
    if (rng.chance(0.5)) customer.blocked = 'Ship';
  } else if (rng.chance(OTHER_HOLD_SHARE)) {
    customer.blocked = rng.pick(OTHER_HOLDS);
  }
  ctx.erp.customerFinancialDetails.push({
    id: customer.id,
    number: customer.number,
    balance: customer.balanceDue,
    totalSalesExcludingTax: fromCents(ledger.salesExcludingTaxCents),
    overdueAmount: fromCents(ledger.overdueCents),
  });
}
