// Money in the ERP subgraph: decimal strings in, decimal strings out, arithmetic in big.js (never
// floats: 0.1 + 0.2 must be 0.3). Results keep the largest number of decimals of their inputs, so
// "100.00" - "0.5" is "99.50" and no amount is rounded.
import { Big } from 'big.js';
import type { Decimal } from '../../connectors/erp/port.js';
import type { Money } from './__generated__/resolvers-types.js';

export function money(amount: Decimal, currency: string): Money {
  return { amount, currency };
}

function scaleOf(value: Decimal): number {
  const fraction = /\.(\d+)$/.exec(value);
  return fraction?.[1]?.length ?? 0;
}

function format(value: Big, inputs: readonly Decimal[]): Decimal {
  return value.toFixed(Math.max(0, ...inputs.map(scaleOf)));
}

export function sum(values: readonly Decimal[]): Decimal {
  return format(
    values.reduce((total, value) => total.plus(value), new Big(0)),
    values,
  );
}

/** `from` minus every one of `amounts`. */
export function subtract(from: Decimal, ...amounts: Decimal[]): Decimal {
  return format(
    amounts.reduce((rest, value) => rest.minus(value), new Big(from)),
    [from, ...amounts],
  );
}

export function isPositive(value: Decimal): boolean {
  return new Big(value).gt(0);
}

/** Zero written with the decimals of `like` ("0.00" for "1500.00"). */
export function zeroLike(like: Decimal): Decimal {
  return format(new Big(0), [like]);
}
