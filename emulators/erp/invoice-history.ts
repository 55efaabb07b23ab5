// Scale for the ERP emulator: posted, paid sales invoices of earlier years added to a dataset until it
// holds a given number of invoices (EMULATOR_SEED_INVOICES), so that a filtered page of 26 invoices
// out of 100,000 can be shown not to read them all (issue 6). Years of history are what makes a real
// company's invoice table large: dated up to five years back, fully paid (so balances, overdue
// amounts and credit stay exactly as the seed computed them).
// Who they are for: as in a real customer base, a few customers buy far more than most. Half of the
// history goes round robin to every customer alike; the other half is drawn by a Zipf law (s = 1)
// over the customers in dataset order, so the first customer (C00001) is the busiest and the
// customer at rank r gets about 1/r of its share. With 10,000 customers and 100,000 invoices: every
// customer has at least 4 history invoices, C00001 about 4,000, C00010 about 400, C00060 about 70,
// and some 200 customers have a full page of 26 or more (the OData benchmark asks those).
// Deterministic for a dataset and a seed; fast (plain objects, a small PRNG, no faker).
import type { BcSalesInvoice, ErpDataset } from '../seed/types.js';

/** Days of history the added invoices spread over. */
const HISTORY_DAYS = 5 * 365;
/** Every EVEN_EVERY-th added invoice goes round robin; the others by the Zipf law (so: half). */
const EVEN_EVERY = 2;
/** Zipf exponent of the skewed half: rank r's weight is 1 / r^s. */
const ZIPF_EXPONENT = 1;

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws a customer index, 0 (the busiest) … n − 1, with weight 1 / (index + 1)^ZIPF_EXPONENT. */
function zipfPicker(n: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r += 1) {
    sum += 1 / (r + 1) ** ZIPF_EXPONENT;
    cumulative[r] = sum;
  }
  return () => {
    const x = random() * sum;
    // The first index whose cumulative weight exceeds x.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** `date` plus `days`, memoized per (date, days): a hundred thousand invoices use a few thousand dates. */
const dayCache = new Map<string, string>();
function addDays(date: string, days: number): string {
  const key = `${date}${days}`;
  let day = dayCache.get(key);
  if (day === undefined) {
    day = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(key, day);
  }
  return day;
}

/** A deterministic, well-formed (version 4 shaped) GUID from a counter. */
function guidFor(n: number, salt: number): string {
  const hex = (n * 2654435761 + salt).toString(16).padStart(12, '0').slice(-12);
  return `a15c0000-${(salt & 0xffff).toString(16).padStart(4, '0')}-4000-8000-${hex}`;
}

/**
 * The dataset with paid historical invoices appended until there are `total` invoices (unchanged
 * when it already has as many, or has no customers). A new dataset object: the input is shared.
 */
export function withInvoiceHistory(
  dataset: ErpDataset,
  total: number,
  options: { seed: number; today: string },
): ErpDataset {
  const existing = dataset.salesInvoices.length;
  const customers = dataset.customers;
  if (total <= existing || customers.length === 0) return dataset;
  const random = prng(options.seed ^ 0x5eed1);
  // A stream of its own, so the invoices' other fields do not depend on who they are for.
  const pickSkewed = zipfPicker(customers.length, prng(options.seed ^ 0x21bf5));
  let next =
    1 +
    dataset.salesInvoices.reduce(
      (max, invoice) => Math.max(max, Number(/^SI-(\d+)$/.exec(invoice.number)?.[1] ?? 0)),
      100_000,
    );
  const added: BcSalesInvoice[] = [];
  for (let i = 0; i < total - existing; i += 1) {
    const customer = customers[i % EVEN_EVERY === 0 ? Math.floor(i / EVEN_EVERY) % customers.length : pickSkewed()]!;
    // Spread evenly over the history, oldest first, numbered on from the seed's own invoices.
    const age = HISTORY_DAYS - Math.floor(((i + random()) / (total - existing)) * HISTORY_DAYS);
    const invoiceDate = addDays(options.today, -Math.max(age, 370));
    const netCents = 5_000 + Math.floor(random() * 2_000_000);
    const taxCents = customer.taxLiable ? Math.round(netCents * 0.08) : 0;
    const number = `SI-${next++}`;
    added.push({
      id: guidFor(i + 1, options.seed),
      number,
      externalDocumentNumber: random() < 0.6 ? `PO-${String(Math.floor(random() * 1_000_000)).padStart(6, '0')}` : '',
      invoiceDate,
      postingDate: invoiceDate,
      dueDate: addDays(invoiceDate, 30),
      customerNumber: customer.number,
      customerName: customer.displayName,
      orderNumber: '',
      currencyCode: customer.currencyCode,
      status: 'Paid',
      totalAmountExcludingTax: netCents / 100,
      totalTaxAmount: taxCents / 100,
      totalAmountIncludingTax: (netCents + taxCents) / 100,
      remainingAmount: 0,
      lastModifiedDateTime: `${addDays(invoiceDate, 30)}T12:00:00.000Z`,
    });
  }
  return { ...dataset, salesInvoices: [...dataset.salesInvoices, ...added] };
}
