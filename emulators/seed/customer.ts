// One customer as both systems know it: the Salesforce Account and the ERP customer, linked by
// Account.ERP_Customer_Id__c = customer.number, with the same name, and the Account's billing
// address, phone and website mirroring the ERP (the ERP owns them).

import type { GenerationContext } from './context.js';
import { recordStamps } from './record-stamps.js';
import { ACCOUNT_TYPE_WEIGHTS, CREDIT_LIMITS, INDUSTRIES, PAYMENT_TERM_WEIGHTS } from './reference-data.js';
import type { BcCustomer, SfAccount } from './types.js';

export interface CustomerPair {
  account: SfAccount;
  customer: BcCustomer;
  /** Domain for the company's e-mail addresses. */
  domain: string;
  /** Days from today the account was created (negative). */
  createdOffset: number;
  paymentDueDays: number;
}

/** 'C00001' ...; wider than 5 digits only when the dataset needs it. */
export function customerNumber(index: number, total: number, prefix = 'C'): string {
  return `${prefix}${String(index).padStart(Math.max(5, String(total).length), '0')}`;
}

/** Faker company names repeat at scale; a repeat gets its city, then a number, so names stay unique. */
function uniqueName(base: string, city: string, used: Set<string>): string {
  let name = base;
  if (used.has(name)) name = `${base} (${city})`;
  for (let n = 2; used.has(name); n++) name = `${base} (${city} ${n})`;
  used.add(name);
  return name;
}

function domainOf(name: string): string {
  return `${name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 30)}.example.com`;
}

export function generateCustomer(
  ctx: GenerationContext,
  index: number,
  total: number,
  usedNames: Set<string>,
): CustomerPair {
  const { rng, pools } = ctx;
  const { faker } = rng;
  const currencyRegion = rng.weighted(ctx.customers.currencyRegions);
  const country = rng.pick(currencyRegion.countries);
  const city = rng.pick(pools.cities);
  const name = uniqueName(ctx.companyNames.next(), city, usedNames);
  const domain = domainOf(name);
  const addressLine1 = `${rng.int(1, 9999)} ${rng.pick(pools.streets)}`;
  const addressLine2 = rng.chance(0.2) ? faker.location.secondaryAddress() : '';
  const state = country.hasState ? faker.location.state({ abbreviated: true }) : '';
  const postalCode = faker.helpers.replaceSymbols(country.postal);
  const phone = faker.phone.number({ style: 'national' });
  const website = `https://www.${domain}`;
  const accountType = rng.weighted(ACCOUNT_TYPE_WEIGHTS);
  const termCode = rng.weighted(PAYMENT_TERM_WEIGHTS);
  const term = ctx.paymentTerms.find((t) => t.term.code === termCode)!;
  const createdOffset = -rng.int(200, 2500);
  const stamps = recordStamps(rng, ctx.calendar, createdOffset);
  const number = customerNumber(index, total, ctx.customers.numberPrefix);
  const employees = rng.int(20, 20_000);

  const customer: BcCustomer = {
    id: rng.uuid(),
    number,
    displayName: name,
    type: 'Company',
    addressLine1,
    addressLine2,
    city,
    state,
    country: country.code,
    postalCode,
    phoneNumber: phone,
    email: `accounts.payable@${domain}`,
    website,
    // Resellers buy for resale and hold an exemption certificate.
    taxLiable: accountType !== 'Channel Partner / Reseller',
    currencyCode: currencyRegion.currency,
    paymentTermsId: term.term.id,
    // Final blocked, balanceDue and creditLimit are settled by credit.ts once invoices exist.
    blocked: ' ',
    balanceDue: 0,
    creditLimit: rng.pick(CREDIT_LIMITS),
    lastModifiedDateTime: stamps.LastModifiedDate,
  };

  const account: SfAccount = {
    Id: ctx.ids.Account.next(),
    CreatedDate: stamps.CreatedDate,
    LastModifiedDate: stamps.LastModifiedDate,
    Name: name,
    Type: accountType,
    Industry: rng.pick(INDUSTRIES),
    Phone: phone,
    Website: website,
    OwnerId: rng.pick(ctx.reps).Id,
    ERP_Customer_Id__c: number,
    BillingStreet: addressLine2 ? `${addressLine1}\n${addressLine2}` : addressLine1,
    BillingCity: city,
    BillingState: state || null,
    BillingPostalCode: postalCode,
    BillingCountry: country.code,
    AnnualRevenue: employees * rng.int(80, 400) * 1000,
    NumberOfEmployees: employees,
    Description: rng.chance(0.6) ? faker.company.catchPhrase() : null,
  };
  const link = ctx.customers.erpLink;
  if (link) Object.assign(account, { ERP_System__c: link.system, ERP_Company__c: link.company });

  ctx.sf.Account.push(account);
  ctx.erp.customers.push(customer);
  return { account, customer, domain, createdOffset, paymentDueDays: term.dueDays };
}
