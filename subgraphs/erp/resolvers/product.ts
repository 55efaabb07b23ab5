// Product (entity, key `number`): the ERP item. The Salesforce subgraph hands out references to it
// from quote lines (Product2.ProductCode is the item number).
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { isErpKey } from '../../shared/erp-keys.js';
import { freshnessResolvers } from '../../shared/freshness.js';
import { ERP_LOCAL_CURRENCY } from '../config.js';
import { money } from '../money.js';

export const productResolvers: ProductResolvers = {
  ...freshnessResolvers,
  __resolveReference: ({ number }, { loaders }) => (isErpKey(number) ? loaders.itemByNumber.load(number) : null),
  unitPrice: (item) => money(item.unitPrice, ERP_LOCAL_CURRENCY),
};
