// Shipment and its lines: the order and the items are loaded by number, batched.
import type { ShipmentLineResolvers, ShipmentResolvers } from '../__generated__/resolvers-types.js';
import { freshnessResolvers } from '../../shared/freshness.js';

export const shipmentResolvers: ShipmentResolvers = {
  ...freshnessResolvers,
  order: (shipment, _args, { loaders }) => loaders.orderByNumber.load(shipment.orderNumber),
};

export const shipmentLineResolvers: ShipmentLineResolvers = {
  product: (line, _args, { loaders }) => loaders.itemByNumber.load(line.itemNumber),
};
