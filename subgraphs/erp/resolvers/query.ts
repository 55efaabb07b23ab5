// Query fields of the ERP subgraph: lookups by number, through the request's loaders.
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { erpKeyArgument } from '../../shared/erp-keys.js';

export const queryResolvers: QueryResolvers = {
  order: (_root, { number }, { loaders }) => loaders.orderByNumber.load(erpKeyArgument('number', number)),
  product: (_root, { number }, { loaders }) => loaders.itemByNumber.load(erpKeyArgument('number', number)),
};
