// All resolvers of the ERP subgraph, typed with the generated Resolvers so a parent or return type
// that drifts from the SDL or the port's records fails the typecheck.
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { accountResolvers } from './account.js';
import { creditResolvers } from './credit.js';
import { customerResolvers } from './customer.js';
import { invoiceResolvers } from './invoice.js';
import { orderLineResolvers, orderResolvers } from './order.js';
import { productResolvers } from './product.js';
import { queryResolvers } from './query.js';
import {
  quoteCreditCheckResolvers,
  quoteLineCheckResolvers,
  quoteResolvers,
  quoteToOrderMutationResolvers,
  quoteToOrderQueryResolvers,
  quoteValidationResolvers,
  submitQuotePayloadResolvers,
} from './quote-to-order.js';
import {
  customerPageResolvers,
  invoicePageResolvers,
  orderLinePageResolvers,
  orderPageResolvers,
  productPageResolvers,
  rowQueryResolvers,
  shipmentPageResolvers,
} from './rows.js';
import { shipmentLineResolvers, shipmentResolvers } from './shipment.js';

export const resolvers: Resolvers = {
  Query: { ...queryResolvers, ...quoteToOrderQueryResolvers, ...rowQueryResolvers },
  Mutation: quoteToOrderMutationResolvers,
  Account: accountResolvers,
  Credit: creditResolvers,
  Invoice: invoiceResolvers,
  Order: orderResolvers,
  OrderLine: orderLineResolvers,
  Shipment: shipmentResolvers,
  ShipmentLine: shipmentLineResolvers,
  Product: productResolvers,
  Customer: customerResolvers,
  CustomerPage: customerPageResolvers,
  InvoicePage: invoicePageResolvers,
  OrderPage: orderPageResolvers,
  OrderLinePage: orderLinePageResolvers,
  ShipmentPage: shipmentPageResolvers,
  ProductPage: productPageResolvers,
  Quote: quoteResolvers,
  QuoteValidation: quoteValidationResolvers,
  QuoteCreditCheck: quoteCreditCheckResolvers,
  QuoteLineCheck: quoteLineCheckResolvers,
  SubmitQuotePayload: submitQuotePayloadResolvers,
};
