// One shipment of an order: when it left, with which carrier, under which tracking number.
// Everything the record page shows about a shipment lives here, so what the graph adds later is one
// field in SalesforceAccount360 (clients/operations/salesforce-account-360.graphql, under
// orders.shipments) and one block in this template: e.g. tracking events ({ at status location })
// and an estimated delivery date. Apex passes the operation's data through unchanged.
import { LightningElement, api } from 'lwc';

export default class C360Shipment extends LightningElement {
  /** An element of Order.shipments in SalesforceAccount360. */
  @api shipment;

  get carrier() {
    return this.shipment.carrier || 'Carrier unknown';
  }

  get trackingNumber() {
    return this.shipment.trackingNumber || 'No tracking number';
  }

  get hasTrackingNumber() {
    return Boolean(this.shipment.trackingNumber);
  }
}
