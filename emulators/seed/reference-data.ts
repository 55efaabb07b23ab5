// Reference data of the demo manufacturer: picklist values and code lists that in a real system are
// configured by an administrator, not generated. People, companies, addresses and product wording
// come from faker; these short lists only pin the vocabulary the backends define.

/** Business Central payment terms (code, due date formula, early-payment discount). */
export const PAYMENT_TERMS = [
  { code: 'NET30', displayName: 'Net 30 days', dueDays: 30, discountDays: 0, discountPercent: 0 },
  { code: 'NET45', displayName: 'Net 45 days', dueDays: 45, discountDays: 0, discountPercent: 0 },
  { code: 'NET60', displayName: 'Net 60 days', dueDays: 60, discountDays: 0, discountPercent: 0 },
  { code: '2/10 NET30', displayName: '2% 10 days, net 30 days', dueDays: 30, discountDays: 10, discountPercent: 2 },
  { code: 'COD', displayName: 'Cash on delivery', dueDays: 0, discountDays: 0, discountPercent: 0 },
] as const;

export type PaymentTermCode = (typeof PAYMENT_TERMS)[number]['code'];

export const PAYMENT_TERM_WEIGHTS: readonly (readonly [PaymentTermCode, number])[] = [
  ['NET30', 55],
  ['NET45', 10],
  ['NET60', 15],
  ['2/10 NET30', 15],
  ['COD', 5],
];

/** Account.Industry picklist values of a manufacturer's customer base. */
export const INDUSTRIES = [
  'Manufacturing',
  'Machinery',
  'Automotive',
  'Electronics',
  'Chemicals',
  'Energy',
  'Construction',
  'Engineering',
  'Transportation',
  'Utilities',
  'Food & Beverage',
  'Agriculture',
] as const;

export const ACCOUNT_TYPE_WEIGHTS = [
  ['Customer - Direct', 68],
  ['Customer - Channel', 25],
  ['Channel Partner / Reseller', 7],
] as const;

export interface CurrencyRegion {
  currency: string;
  weight: number;
  /** ISO 3166 alpha-2 code, postal code pattern (faker replaceSymbols: # digit, ? letter), whether addresses carry a state. */
  countries: readonly { code: string; postal: string; hasState: boolean }[];
}

/** Customer currencies (most customers are domestic) and the countries billed in each. */
export const CURRENCY_REGIONS: readonly CurrencyRegion[] = [
  { currency: 'USD', weight: 80, countries: [{ code: 'US', postal: '#####', hasState: true }] },
  {
    currency: 'EUR',
    weight: 13,
    countries: [
      { code: 'DE', postal: '#####', hasState: false },
      { code: 'FR', postal: '#####', hasState: false },
      { code: 'NL', postal: '#### ??', hasState: false },
      { code: 'IT', postal: '#####', hasState: false },
      { code: 'AT', postal: '####', hasState: false },
    ],
  },
  { currency: 'GBP', weight: 7, countries: [{ code: 'GB', postal: '??# #??', hasState: false }] },
];

/** ERP credit limits a credit manager would set (0 would mean "no limit" in Business Central). */
export const CREDIT_LIMITS = [25_000, 50_000, 75_000, 100_000, 150_000, 250_000, 500_000] as const;

/**
 * Item categories: Business Central itemCategoryCode, Product2.Family, the item-number block, the
 * component nouns, and a list-price range in dollars.
 */
export const ITEM_CATEGORIES = [
  {
    code: 'PUMPS',
    family: 'Pumps',
    numberBase: 1000,
    nouns: ['Centrifugal Pump', 'Hydraulic Pump', 'Gear Pump', 'Diaphragm Pump'],
    price: [400, 9000],
  },
  {
    code: 'VALVES',
    family: 'Valves',
    numberBase: 2000,
    nouns: ['Ball Valve', 'Gate Valve', 'Check Valve', 'Solenoid Valve'],
    price: [40, 1500],
  },
  {
    code: 'MOTORS',
    family: 'Motors',
    numberBase: 3000,
    nouns: ['Servo Motor', 'Induction Motor', 'Stepper Motor', 'Gear Motor'],
    price: [150, 4000],
  },
  {
    code: 'BEARINGS',
    family: 'Bearings',
    numberBase: 4000,
    nouns: ['Ball Bearing', 'Roller Bearing', 'Pillow Block Bearing'],
    price: [12, 150],
  },
  {
    code: 'DRIVES',
    family: 'Power Transmission',
    numberBase: 5000,
    nouns: ['Gearbox', 'Frequency Drive', 'Belt Drive Kit', 'Shaft Coupling'],
    price: [200, 6000],
  },
  {
    code: 'SENSORS',
    family: 'Sensors',
    numberBase: 6000,
    nouns: ['Pressure Sensor', 'Proximity Sensor', 'Flow Meter', 'Temperature Transmitter'],
    price: [80, 900],
  },
  {
    code: 'CONTROLS',
    family: 'Controls',
    numberBase: 7000,
    nouns: ['PLC Controller', 'Control Panel', 'Safety Relay', 'HMI Touch Panel'],
    price: [300, 8000],
  },
  {
    code: 'PNEUMATIC',
    family: 'Pneumatics',
    numberBase: 8000,
    nouns: ['Pneumatic Cylinder', 'Air Compressor', 'Filter Regulator'],
    price: [60, 2500],
  },
] as const;

export const ITEM_COUNT = 60;

/** Opportunity stages with Salesforce's default probabilities, and how often each occurs. */
export const OPPORTUNITY_STAGES = [
  { stage: 'Prospecting', probability: 10, closed: false, won: false, weight: 15 },
  { stage: 'Qualification', probability: 10, closed: false, won: false, weight: 15 },
  { stage: 'Proposal/Price Quote', probability: 75, closed: false, won: false, weight: 20 },
  { stage: 'Negotiation/Review', probability: 90, closed: false, won: false, weight: 15 },
  { stage: 'Closed Won', probability: 100, closed: true, won: true, weight: 25 },
  { stage: 'Closed Lost', probability: 0, closed: true, won: false, weight: 10 },
] as const;

export const OPPORTUNITY_PROJECTS = [
  'Retrofit',
  'Line Expansion',
  'Replacement',
  'Spare Parts',
  'New Plant',
  'Maintenance Stock',
] as const;

/** Statuses of quotes not (yet) sent to the ERP; synced quotes are always 'Accepted'. */
export const UNSYNCED_QUOTE_STATUS_WEIGHTS = [
  ['Draft', 30],
  ['Needs Review', 6],
  ['In Review', 6],
  ['Approved', 18],
  ['Rejected', 4],
  ['Presented', 20],
  ['Accepted', 10],
  ['Denied', 6],
] as const;

export const CASE_ISSUES = [
  'Delivery delayed',
  'Damaged on arrival',
  'Warranty claim',
  'Wrong item shipped',
  'Invoice dispute',
  'Spare parts request',
  'Installation support',
  'Missing documentation',
] as const;

export const CASE_STATUS_WEIGHTS = [
  ['New', 20],
  ['Working', 25],
  ['Escalated', 5],
  ['Closed', 50],
] as const;

/** Business Central shipping agent codes of the carriers the manufacturer uses. */
export const CARRIERS = ['UPS', 'FEDEX', 'DHL', 'DB SCHENKER'] as const;
export type Carrier = (typeof CARRIERS)[number];
