// An account's CRM records that the ERP never sees: contacts, opportunities and cases.

import type { GenerationContext } from './context.js';
import type { CustomerPair } from './customer.js';
import { recordStamps } from './record-stamps.js';
import { CASE_ISSUES, CASE_STATUS_WEIGHTS, OPPORTUNITY_PROJECTS, OPPORTUNITY_STAGES } from './reference-data.js';
import type { SfCase, SfContact, SfOpportunity } from './types.js';

const STAGE_WEIGHTS = OPPORTUNITY_STAGES.map((s) => [s, s.weight] as const);
const PRIORITY_WEIGHTS = [
  ['Low', 30],
  ['Medium', 50],
  ['High', 20],
] as const;
const ORIGINS = ['Phone', 'Email', 'Web'] as const;

/** A day after the account's creation, at most withinDays ago, at the latest `latest` (default yesterday). */
function dayAfter(ctx: GenerationContext, createdOffset: number, withinDays: number, latest = -1): number {
  return ctx.rng.int(Math.min(Math.max(createdOffset, -withinDays), latest), latest);
}

export interface GeneratedOpportunity {
  record: SfOpportunity;
  createdOffset: number;
}

export function generateContacts(ctx: GenerationContext, pair: CustomerPair, count: number): SfContact[] {
  const { rng, pools } = ctx;
  const contacts: SfContact[] = [];
  for (let k = 0; k < count; k++) {
    const firstName = rng.faker.person.firstName();
    const lastName = rng.pick(pools.lastNames);
    const stamps = recordStamps(rng, ctx.calendar, dayAfter(ctx, pair.createdOffset, 2000));
    const contact: SfContact = {
      Id: ctx.ids.Contact.next(),
      CreatedDate: stamps.CreatedDate,
      LastModifiedDate: stamps.LastModifiedDate,
      AccountId: pair.account.Id,
      FirstName: firstName,
      LastName: lastName,
      Name: `${firstName} ${lastName}`,
      Title: rng.pick(pools.jobTitles),
      Email: `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + `@${pair.domain}`,
      Phone: rng.faker.phone.number({ style: 'national' }),
    };
    contacts.push(contact);
    ctx.sf.Contact.push(contact);
  }
  return contacts;
}

export function generateOpportunities(
  ctx: GenerationContext,
  pair: CustomerPair,
  count: number,
): GeneratedOpportunity[] {
  const { rng } = ctx;
  const opportunities: GeneratedOpportunity[] = [];
  for (let k = 0; k < count; k++) {
    const stage = rng.weighted(STAGE_WEIGHTS);
    // Created at least 3 days ago, so a quote on it can be created and synced after it, before today.
    const createdOffset = dayAfter(ctx, pair.createdOffset, 540, -3);
    const closeOffset = stage.closed ? rng.int(createdOffset, -1) : rng.int(1, 180);
    const stamps = recordStamps(rng, ctx.calendar, createdOffset);
    const opportunity: SfOpportunity = {
      Id: ctx.ids.Opportunity.next(),
      CreatedDate: stamps.CreatedDate,
      LastModifiedDate: stamps.LastModifiedDate,
      AccountId: pair.account.Id,
      Name: `${pair.account.Name} - ${rng.pick(ctx.catalog).family} ${rng.pick(OPPORTUNITY_PROJECTS)}`,
      StageName: stage.stage,
      Amount: rng.int(50, 2500) * 100,
      CloseDate: ctx.calendar.day(closeOffset),
      Probability: stage.probability,
      IsClosed: stage.closed,
      IsWon: stage.won,
      OwnerId: pair.account.OwnerId,
    };
    opportunities.push({ record: opportunity, createdOffset });
    ctx.sf.Opportunity.push(opportunity);
  }
  return opportunities;
}

/** Marks an opportunity won once its quote became an ERP order (at wonAt). */
export function winOpportunity(opportunity: SfOpportunity, closeDate: string, wonAt: string, amount: number): void {
  if (wonAt > opportunity.LastModifiedDate) opportunity.LastModifiedDate = wonAt;
  opportunity.StageName = 'Closed Won';
  opportunity.Probability = 100;
  opportunity.IsClosed = true;
  opportunity.IsWon = true;
  opportunity.CloseDate = closeDate;
  opportunity.Amount = amount;
}

export function generateCases(ctx: GenerationContext, pair: CustomerPair, contacts: SfContact[], count: number): void {
  const { rng } = ctx;
  for (let k = 0; k < count; k++) {
    const issue = rng.pick(CASE_ISSUES);
    const { item } = rng.pick(ctx.catalog);
    const status = rng.weighted(CASE_STATUS_WEIGHTS);
    const stamps = recordStamps(rng, ctx.calendar, dayAfter(ctx, pair.createdOffset, 365));
    const isClosed = status === 'Closed';
    const record: SfCase = {
      Id: ctx.ids.Case.next(),
      CreatedDate: stamps.CreatedDate,
      LastModifiedDate: stamps.LastModifiedDate,
      AccountId: pair.account.Id,
      ContactId: contacts.length > 0 && rng.chance(0.8) ? rng.pick(contacts).Id : null,
      CaseNumber: ctx.numbers.nextCaseNumber(),
      Subject: `${issue}: ${item.displayName}`,
      Description: `${issue} reported for item ${item.number}.`,
      Status: status,
      Priority: rng.weighted(PRIORITY_WEIGHTS),
      Origin: rng.pick(ORIGINS),
      IsClosed: isClosed,
      // Closing is the case's last change.
      ClosedDate: isClosed ? stamps.LastModifiedDate : null,
    };
    ctx.sf.Case.push(record);
  }
}
