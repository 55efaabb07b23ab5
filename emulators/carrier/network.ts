// The carriers' side of the demo world: how each seeded carrier is addressed through the FedEx-shaped
// API (carrierCode), what its tracking numbers look like, where the manufacturer ships from, each
// carrier's hubs, and the UTC offsets that scan times are reported in. Reference data, like
// emulators/seed/reference-data.ts: short lists that a carrier defines, not generated.
import type { Carrier } from '../seed/reference-data.js';

/**
 * `trackingNumberInfo.carrierCode` per seeded carrier. FedEx's own codes name its operating
 * companies (FDXE Express, FDXG Ground, …); the seed's FedEx numbers are 12-digit Express ones. The
 * emulator answers for every seeded carrier through FedEx's API shape, as a tracking aggregator
 * would; the other carriers are addressed by the ERP's shipping agent code itself.
 */
export const CARRIER_CODES: Readonly<Record<Carrier, string>> = {
  FEDEX: 'FDXE',
  UPS: 'UPS',
  DHL: 'DHL',
  'DB SCHENKER': 'DB SCHENKER',
};

/** Other FedEx operating-company codes accepted for FedEx numbers. */
export const FEDEX_CODES = ['FDXE', 'FDXG', 'FXSP', 'FDXC', 'FXFR'] as const;

/** The brand in scan texts ("Arrived at FedEx location"). */
export const BRAND: Readonly<Record<Carrier, string>> = {
  FEDEX: 'FedEx',
  UPS: 'UPS',
  DHL: 'DHL',
  'DB SCHENKER': 'DB Schenker',
};

/**
 * What a well-formed number looks like per carrier (a malformed one is TRACKING.TRACKINGNUMBER.INVALID):
 * FedEx 12 (Express), 15 (Ground) or 20/22 digits (Ground Economy); UPS "1Z" + 16 characters; DHL
 * Express air waybills 10 digits; DB Schenker land shipment numbers 10 digits.
 */
export const NUMBER_FORMATS: Readonly<Record<Carrier, RegExp>> = {
  FEDEX: /^(?:\d{12}|\d{15}|\d{20}|\d{22})$/,
  UPS: /^1Z[0-9A-Z]{16}$/,
  DHL: /^\d{10}$/,
  'DB SCHENKER': /^\d{10}$/,
};

export interface Place {
  city: string;
  /** Two-letter state code (US) or ''. */
  state: string;
  postalCode: string;
  countryCode: string;
  /** Standard-time offset from UTC in minutes (daylight saving time is not modelled). */
  offsetMinutes: number;
  /** A carrier facility's code (airport-style), when the place is one. */
  locationId?: string;
}

/** Where the demo manufacturer ships from: its plant's dock, where carriers pick up. */
export const ORIGIN: Place = {
  city: 'Columbus',
  state: 'OH',
  postalCode: '43219',
  countryCode: 'US',
  offsetMinutes: -300,
};

/** Each carrier's station serving the plant, and its hub in the US and in Europe. */
export const FACILITIES: Readonly<Record<Carrier, { origin: Place; usHub: Place; euHub: Place }>> = {
  FEDEX: {
    origin: { ...ORIGIN, postalCode: '43217', locationId: 'CMHR' },
    usHub: {
      city: 'Memphis',
      state: 'TN',
      postalCode: '38118',
      countryCode: 'US',
      offsetMinutes: -360,
      locationId: 'MEMH',
    },
    euHub: {
      city: 'Roissy-en-France',
      state: '',
      postalCode: '95700',
      countryCode: 'FR',
      offsetMinutes: 60,
      locationId: 'CDGH',
    },
  },
  UPS: {
    origin: { ...ORIGIN, postalCode: '43228', locationId: 'CMH' },
    usHub: {
      city: 'Louisville',
      state: 'KY',
      postalCode: '40209',
      countryCode: 'US',
      offsetMinutes: -300,
      locationId: 'SDF',
    },
    euHub: { city: 'Cologne', state: '', postalCode: '51147', countryCode: 'DE', offsetMinutes: 60, locationId: 'CGN' },
  },
  DHL: {
    origin: { ...ORIGIN, postalCode: '43217', locationId: 'CMH' },
    usHub: {
      city: 'Hebron',
      state: 'KY',
      postalCode: '41048',
      countryCode: 'US',
      offsetMinutes: -300,
      locationId: 'CVG',
    },
    euHub: { city: 'Leipzig', state: '', postalCode: '04435', countryCode: 'DE', offsetMinutes: 60, locationId: 'LEJ' },
  },
  'DB SCHENKER': {
    origin: { ...ORIGIN, postalCode: '43207', locationId: 'CMH' },
    usHub: {
      city: 'Chicago',
      state: 'IL',
      postalCode: '60666',
      countryCode: 'US',
      offsetMinutes: -360,
      locationId: 'ORD',
    },
    euHub: {
      city: 'Frankfurt am Main',
      state: '',
      postalCode: '60549',
      countryCode: 'DE',
      offsetMinutes: 60,
      locationId: 'FRA',
    },
  },
};

const US_OFFSETS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    -300,
    [
      'CT',
      'DE',
      'DC',
      'FL',
      'GA',
      'IN',
      'KY',
      'ME',
      'MD',
      'MA',
      'MI',
      'NH',
      'NJ',
      'NY',
      'NC',
      'OH',
      'PA',
      'RI',
      'SC',
      'VT',
      'VA',
      'WV',
    ],
  ],
  [-360, ['AL', 'AR', 'IL', 'IA', 'KS', 'LA', 'MN', 'MS', 'MO', 'NE', 'ND', 'OK', 'SD', 'TN', 'TX', 'WI']],
  [-420, ['AZ', 'CO', 'ID', 'MT', 'NM', 'UT', 'WY']],
  [-480, ['CA', 'NV', 'OR', 'WA']],
  [-540, ['AK']],
  [-600, ['HI']],
];

const COUNTRY_OFFSETS: Readonly<Record<string, number>> = { GB: 0, IE: 0, PT: 0 };

/** Standard-time UTC offset of a delivery address: by state in the US, by country elsewhere. */
export function offsetOf(countryCode: string, state: string): number {
  if (countryCode === 'US') return US_OFFSETS.find(([, states]) => states.includes(state))?.[0] ?? -300;
  return COUNTRY_OFFSETS[countryCode] ?? 60;
}

export const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  US: 'United States',
  DE: 'Germany',
  FR: 'France',
  NL: 'Netherlands',
  IT: 'Italy',
  AT: 'Austria',
  GB: 'United Kingdom',
  IE: 'Ireland',
};

export interface Service {
  type: string;
  description: string;
  /** Transit days (calendar days from pickup to delivery before weekend rules), inclusive range. */
  transitDays: readonly [number, number];
}

/**
 * The service a shipment travels with. UPS numbers carry it (the two digits after the shipper
 * account: 01 Next Day Air, 02 2nd Day Air, 03 Ground, 12 3 Day Select); the others by destination.
 */
export function serviceOf(carrier: Carrier, trackingNumber: string, international: boolean): Service {
  switch (carrier) {
    case 'FEDEX':
      return international
        ? { type: 'INTERNATIONAL_PRIORITY', description: 'FedEx International Priority', transitDays: [2, 4] }
        : { type: 'FEDEX_2_DAY', description: 'FedEx 2Day', transitDays: [1, 2] };
    case 'UPS': {
      if (international)
        return { type: 'UPS_WORLDWIDE_EXPEDITED', description: 'UPS Worldwide Expedited', transitDays: [3, 5] };
      const code = trackingNumber.slice(8, 10);
      if (code === '01') return { type: 'UPS_NEXT_DAY_AIR', description: 'UPS Next Day Air', transitDays: [1, 1] };
      if (code === '02') return { type: 'UPS_2ND_DAY_AIR', description: 'UPS 2nd Day Air', transitDays: [2, 2] };
      if (code === '12') return { type: 'UPS_3_DAY_SELECT', description: 'UPS 3 Day Select', transitDays: [3, 3] };
      return { type: 'UPS_GROUND', description: 'UPS Ground', transitDays: [1, 5] };
    }
    case 'DHL':
      return international
        ? { type: 'EXPRESS_WORLDWIDE', description: 'DHL Express Worldwide', transitDays: [2, 4] }
        : { type: 'EXPRESS_DOMESTIC', description: 'DHL Express Domestic', transitDays: [1, 2] };
    case 'DB SCHENKER':
      return international
        ? { type: 'DB_SCHENKER_SYSTEM_PREMIUM', description: 'DB SCHENKERsystem premium', transitDays: [5, 8] }
        : { type: 'DB_SCHENKER_SYSTEM', description: 'DB SCHENKERsystem', transitDays: [2, 5] };
  }
}
