// createSalesOrder on Tryton: the sale workflow a person follows in the Tryton client, over JSON-RPC.
// 1. The customer (party by code, active) and the items (products by code, active and salable).
// 2. A draft this adapter left behind for the same reference (an earlier attempt that was cut off
//    between its create and its quote) is taken up instead of making a second sale.
// 3. The header's and each line's on_change (party: addresses and payment term; product: unit,
//    taxes after the customer's tax rule, list price), as the client asks them; then the quoted
//    price and discount (sale_discount: base price, and the unit price after the discount).
// 4. One `create` of the sale with its lines, the reference being the Salesforce quote's, then the
//    `quote` button: the sale gets its number from the sale sequence and becomes a quotation, which
//    the port reports as a draft order, as Business Central's API does for an order it creates.
//    Confirming it (and with it Tryton's credit-limit check) is the ERP's own step.
// A Tryton refusal (UserError, a missing customer or item) is 'rejected' with backend code
// UserError or Connector_InvalidInput; when the quote step is refused, the draft is deleted so that
// no half-made sale remains.
import { Big } from 'big.js';
import type { Logger } from '../../../lib/logger.js';
import { checkNewSalesOrder } from '../new-sales-order.js';
import type { NewSalesOrder } from '../port.js';
import { BackendError } from '../../../lib/backend-error.js';
import type { TrytonCall, TrytonClient } from './client.js';
import type { TrytonCompany } from './company.js';
import { invalidInput, invalidResponse } from './errors.js';
import { trytonDate, trytonDecimal } from './values.js';

/** Tryton's sale_discount keeps prices to 4 decimals (product price_digits). */
const PRICE_DIGITS = 4;

interface Product {
  readonly id: number;
  readonly code: string;
  readonly name: string;
}

/** The sale's id, quoted (it has its number). */
export async function createTrytonSale(
  client: TrytonClient,
  call: TrytonCall,
  company: TrytonCompany,
  order: NewSalesOrder,
  logger: Logger,
): Promise<number> {
  checkNewSalesOrder(order, 'Tryton', call.operation);
  const context = company.context;
  if (order.currency && order.currency !== company.currency) {
    throw invalidInput(call.operation, `currency ${order.currency}: the company sells in ${company.currency}`);
  }
  const [parties, products] = await Promise.all([
    client.searchRead(call, 'party.party', {
      domain: [['code', '=', order.customerNumber]],
      fields: ['id'],
      limit: 1,
      context,
    }),
    client.searchRead(call, 'product.product', {
      domain: [
        ['code', 'in', [...new Set(order.lines.map((l) => l.itemNumber))]],
        ['salable', '=', true],
      ],
      fields: ['id', 'code', 'name'],
      context,
    }),
  ]);
  const party = parties[0]?.['id'];
  if (typeof party !== 'number')
    throw invalidInput(call.operation, `customer ${order.customerNumber} does not exist or is not active`);
  const byCode = new Map((products as unknown as Product[]).map((p) => [p.code, p]));
  for (const line of order.lines) {
    if (!byCode.has(line.itemNumber))
      throw invalidInput(call.operation, `item ${line.itemNumber} does not exist or is not sold`);
  }

  const unfinished = await client.searchRead(call, 'sale.sale', {
    domain: [
      ['reference', '=', order.externalDocumentNumber],
      ['party', '=', party],
      ['state', '=', 'draft'],
      ['create_uid', '=', await client.userId(call)],
    ],
    fields: ['id', 'lines'],
    order: [['id', 'ASC']],
    limit: 1,
    context,
  });
  const values = await saleValues(client, call, company, order, party, byCode);
  const resumed = unfinished[0];
  let saleId: number;
  if (resumed && typeof resumed['id'] === 'number') {
    // Made by an earlier attempt of this integration, never quoted: it becomes this order (its
    // header and lines replaced by this request's), so no second sale is made.
    saleId = resumed['id'];
    const oldLines = Array.isArray(resumed['lines']) ? resumed['lines'] : [];
    const { lines, ...header } = values;
    await client.execute(
      call,
      'sale.sale',
      'write',
      [[saleId], { ...header, lines: [['delete', oldLines], ...lines] }],
      context,
    );
    logger.info(
      { saleId, reference: order.externalDocumentNumber },
      'Tryton draft sale of an earlier attempt taken up',
    );
  } else {
    const created = await client.execute(call, 'sale.sale', 'create', [[values]], context);
    const id = Array.isArray(created) ? created[0] : undefined;
    if (typeof id !== 'number') throw invalidResponse(call.operation, 'sale.sale.create did not answer an id');
    saleId = id;
  }

  try {
    await client.execute(call, 'sale.sale', 'quote', [[saleId]], context);
  } catch (error) {
    if (error instanceof BackendError && error.failure === 'rejected') {
      // Tryton refused to quote it (an address missing, say): no half-made sale stays behind.
      await client.execute(call, 'sale.sale', 'delete', [[saleId]], context).catch((cleanup: unknown) => {
        logger.warn({ saleId, err: cleanup }, 'Tryton draft sale could not be deleted after its quote was refused');
      });
    }
    throw error;
  }
  return saleId;
}

/** The sale's values as the Tryton client would fill them in, with the quote's prices. */
async function saleValues(
  client: TrytonClient,
  call: TrytonCall,
  company: TrytonCompany,
  order: NewSalesOrder,
  party: number,
  products: ReadonlyMap<string, Product>,
): Promise<Record<string, unknown> & { lines: unknown[][] }> {
  const context = company.context;
  const header = { party, company: company.id, lines: [] };
  const parent = { '_parent_sale.party': party, '_parent_sale.company': company.id };
  const [headerChanges, ...lineChanges] = await Promise.all([
    onChange(client, call, 'sale.sale', header, 'party', context),
    ...order.lines.map((line) =>
      onChange(
        client,
        call,
        'sale.line',
        { type: 'line', product: products.get(line.itemNumber)!.id, quantity: line.quantity, ...parent },
        'product',
        context,
      ),
    ),
  ]);
  const lines = order.lines.map((line, index) => {
    const changes = lineChanges[index]!;
    const listPrice = typeof changes['base_price'] === 'string' ? changes['base_price'] : changes['unit_price'];
    const basePrice = new Big(line.unitPrice ?? (typeof listPrice === 'string' ? listPrice : 0));
    const discount = new Big(line.discountPercent ?? 0);
    const unitPrice = basePrice.times(new Big(100).minus(discount)).div(100).round(PRICE_DIGITS, Big.roundHalfUp);
    return {
      type: 'line',
      product: products.get(line.itemNumber)!.id,
      quantity: line.quantity,
      ...(typeof changes['unit'] === 'number' ? { unit: changes['unit'] } : {}),
      taxes: [['add', taxIds(changes['taxes'])]],
      base_price: trytonDecimal(basePrice.toFixed(PRICE_DIGITS)),
      unit_price: trytonDecimal(unitPrice.toFixed(PRICE_DIGITS)),
      // The item's name, as Business Central describes an item line.
      description:
        typeof changes['description'] === 'string' && changes['description']
          ? changes['description']
          : products.get(line.itemNumber)!.name,
    };
  });
  return {
    party,
    company: company.id,
    warehouse: company.warehouse,
    reference: order.externalDocumentNumber,
    sale_date: trytonDate(new Date().toISOString().slice(0, 10)),
    ...pick(headerChanges, ['invoice_address', 'shipment_address', 'payment_term', 'invoice_party', 'shipment_party']),
    lines: [['create', lines]],
  };
}

/** `model.<model>.on_change`: the values the Tryton client would fill in after `field` changes. */
async function onChange(
  client: TrytonClient,
  call: TrytonCall,
  model: string,
  values: Record<string, unknown>,
  field: string,
  context: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await client.execute(call, model, 'on_change', [values, [field]], context);
  const changes = Array.isArray(result) ? result[0] : undefined;
  if (typeof changes !== 'object' || changes === null)
    throw invalidResponse(call.operation, `${model}.on_change answered no changes`);
  return changes as Record<string, unknown>;
}

/** Tryton 6.0 answers a Many2Many change as {"add": [[index, {"id": n}], ...]}. */
function taxIds(change: unknown): number[] {
  const added = (change as { add?: unknown } | null)?.add;
  if (!Array.isArray(added)) return [];
  return added
    .map((entry) => (Array.isArray(entry) ? (entry[1] as { id?: unknown } | undefined)?.id : undefined))
    .filter((id): id is number => typeof id === 'number');
}

function pick(changes: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => changes[f] !== undefined).map((f) => [f, changes[f]]));
}
