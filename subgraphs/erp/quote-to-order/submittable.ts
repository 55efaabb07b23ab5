// Which Salesforce quote statuses may become an ERP order (QUOTE_SUBMITTABLE_STATUSES, default
// Approved). A sales order from an unapproved quote is the most expensive mistake this product can
// make, so submitQuote refuses any other status before it calls the ERP or writes anything, and
// validateQuote reports the same reason (QUOTE_NOT_APPROVED). The Quote.submittable field exposes
// the rule to clients, so no client keeps its own copy of the list.

export const DEFAULT_SUBMITTABLE_STATUSES: readonly string[] = ['Approved'];

export class SubmittablePolicy {
  private readonly statuses: ReadonlySet<string>;

  constructor(statuses: readonly string[] = DEFAULT_SUBMITTABLE_STATUSES) {
    if (statuses.length === 0) throw new TypeError('at least one quote status must be submittable');
    this.statuses = new Set(statuses);
  }

  /** Exact picklist values: Salesforce's API names of Quote.Status are case-sensitive. */
  isSubmittable(status: string | null | undefined): boolean {
    return typeof status === 'string' && this.statuses.has(status);
  }

  /** "Approved", "Approved or Accepted", "Approved, Presented or Accepted". */
  describe(): string {
    const list = [...this.statuses];
    return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)!}`;
  }

  /** Why a quote in `status` is refused, in words. */
  refusal(quoteNumber: string, status: string): string {
    return `Quote ${quoteNumber} is ${status}: only quotes in status ${this.describe()} can become ERP orders.`;
  }
}
