// What the carriers know of the seeded shipments: every ERP sales shipment's package, by carrier and
// tracking number, with the date it was handed over and the address it goes to (the customer's), so
// the emulator tracks exactly the packages the ERP emulator lists, however the dataset was generated.
import type { Carrier } from '../seed/reference-data.js';
import { CARRIERS } from '../seed/reference-data.js';
import type { ErpDataset } from '../seed/types.js';
import { offsetOf, type Place } from './network.js';

export interface KnownPackage {
  readonly carrier: Carrier;
  readonly trackingNumber: string;
  /** 'YYYY-MM-DD' */
  readonly shipmentDate: string;
  readonly destination: Place;
  /** The shipper's reference printed on the label: the ERP sales order number. */
  readonly shipperReference: string;
}

export interface PackageIndex {
  /** The package of a carrier's number, if that carrier has it. */
  get(carrier: Carrier, trackingNumber: string): KnownPackage | undefined;
  /** Every carrier's package with this number (numbers of different carriers can collide). */
  byNumber(trackingNumber: string): readonly KnownPackage[];
  readonly size: number;
}

const isCarrier = (code: string): code is Carrier => (CARRIERS as readonly string[]).includes(code);

export function indexPackages(dataset: Pick<ErpDataset, 'customers' | 'salesShipments'>): PackageIndex {
  const customers = new Map(dataset.customers.map((c) => [c.number, c]));
  const byNumber = new Map<string, KnownPackage[]>();
  let size = 0;
  for (const shipment of dataset.salesShipments) {
    const carrier = shipment.shippingAgentCode;
    const customer = customers.get(shipment.customerNumber);
    if (!isCarrier(carrier) || !shipment.packageTrackingNo || !customer) continue;
    const known = byNumber.get(shipment.packageTrackingNo) ?? [];
    // One package per carrier and number: a repeated number (a collision of random numbers) keeps
    // the first shipment's journey.
    if (known.some((p) => p.carrier === carrier)) continue;
    known.push({
      carrier,
      trackingNumber: shipment.packageTrackingNo,
      shipmentDate: shipment.shipmentDate,
      shipperReference: shipment.orderNumber,
      destination: {
        city: customer.city,
        state: customer.state,
        postalCode: customer.postalCode,
        countryCode: customer.country,
        offsetMinutes: offsetOf(customer.country, customer.state),
      },
    });
    byNumber.set(shipment.packageTrackingNo, known);
    size += 1;
  }
  return {
    get: (carrier, trackingNumber) => byNumber.get(trackingNumber)?.find((p) => p.carrier === carrier),
    byNumber: (trackingNumber) => byNumber.get(trackingNumber) ?? [],
    size,
  };
}
