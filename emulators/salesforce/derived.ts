// Fields the platform computes on save rather than accepting from the client: compound names,
// auto-numbers, Opportunity/Case closed flags, quote line totals and the quote's roll-up totals.
// Emulating them keeps what the integration reads back after a write consistent with what a real
// org would answer (e.g. a line's TotalPrice after its Quantity changed).
import type { SfRecord } from './store-types.js';

export interface DerivedContext {
  /** ISO timestamp of this save. */
  readonly now: string;
  /** Fields the client wrote in this save (canonical names). */
  readonly written: ReadonlySet<string>;
  nextAutoNumber(objectName: string, fieldName: string): string;
  get(objectName: string, id: string): SfRecord | undefined;
}

// Default probability per stage, as in a standard org's sales process.
const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10,
  Qualification: 10,
  'Needs Analysis': 20,
  'Value Proposition': 50,
  'Id. Decision Makers': 60,
  'Perception Analysis': 70,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0,
};

const AUTO_NUMBER_FIELDS: Record<string, string | undefined> = {
  Quote: 'QuoteNumber',
  Case: 'CaseNumber',
  QuoteLineItem: 'LineNumber',
};

export const roundToCents = (n: number) => Math.round(n * 100) / 100;

function joinName(record: SfRecord): string {
  return [record.FirstName, record.LastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
}

/** Sets the computed fields of `next` (a fresh copy being saved); `previous` is undefined on create. */
export function applyDerivedFields(
  objectName: string,
  next: SfRecord,
  previous: SfRecord | undefined,
  ctx: DerivedContext,
): void {
  const autoNumberField = AUTO_NUMBER_FIELDS[objectName];
  if (!previous && autoNumberField) next[autoNumberField] = ctx.nextAutoNumber(objectName, autoNumberField);

  switch (objectName) {
    case 'User':
    case 'Contact':
      next.Name = joinName(next);
      break;
    case 'Opportunity': {
      const stage = next.StageName as string;
      next.IsClosed = stage === 'Closed Won' || stage === 'Closed Lost';
      next.IsWon = stage === 'Closed Won';
      const stageChanged = !previous || previous.StageName !== stage;
      if (!ctx.written.has('Probability') && stageChanged && stage in STAGE_PROBABILITY) {
        next.Probability = STAGE_PROBABILITY[stage];
      }
      break;
    }
    case 'Case': {
      const closed = next.Status === 'Closed';
      next.IsClosed = closed;
      if (!closed) next.ClosedDate = null;
      else if (!previous?.IsClosed || !next.ClosedDate) next.ClosedDate = ctx.now;
      break;
    }
    case 'Quote': {
      if (!previous) {
        next.TotalPrice = 0;
        next.GrandTotal = 0;
        if (!next.AccountId && typeof next.OpportunityId === 'string') {
          next.AccountId = ctx.get('Opportunity', next.OpportunityId)?.AccountId ?? null;
        }
      }
      break;
    }
    case 'QuoteLineItem': {
      const quantity = Number(next.Quantity ?? 0);
      const unitPrice = Number(next.UnitPrice ?? 0);
      const discount = Number(next.Discount ?? 0);
      next.TotalPrice = roundToCents(quantity * unitPrice * (1 - discount / 100));
      break;
    }
    default:
      break;
  }
}

/**
 * The quote's totals after its lines changed. GrandTotal keeps whatever the quote carried on top of
 * its lines (tax, shipping in the seed), since the emulator has no fields for those.
 */
export function quoteTotals(quote: SfRecord, lines: Iterable<SfRecord>): { TotalPrice: number; GrandTotal: number } {
  let total = 0;
  for (const line of lines) if (!line.IsDeleted) total += Number(line.TotalPrice ?? 0);
  const extra = Number(quote.GrandTotal ?? 0) - Number(quote.TotalPrice ?? 0);
  const totalPrice = roundToCents(total);
  return { TotalPrice: totalPrice, GrandTotal: roundToCents(totalPrice + extra) };
}
