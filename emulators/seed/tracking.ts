// Package tracking numbers in each carrier's usual shape, so a UI can link them and a human
// recognises them. They are not valid at the carriers (UPS/FedEx check digits are not computed).

import type { SeededRandom } from './random.js';
import type { Carrier } from './reference-data.js';

export function trackingNumber(rng: SeededRandom, carrier: Carrier): string {
  switch (carrier) {
    // 1Z + 6-character shipper account + 2-digit service code + 8-digit package number.
    case 'UPS':
      return `1Z${rng.upperAlphanumeric(6)}${rng.pick(['01', '02', '03', '12'])}${rng.digits(8)}`;
    // FedEx Express: 12 digits.
    case 'FEDEX':
      return rng.digits(12);
    // DHL Express air waybill: 10 digits.
    case 'DHL':
      return rng.digits(10);
    // DB Schenker land transport: 10-digit shipment number.
    case 'DB SCHENKER':
      return rng.digits(10);
  }
}
