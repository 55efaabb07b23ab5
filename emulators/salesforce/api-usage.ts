// The org's daily API allocation (REST API "Limits": DailyApiRequests, default 100,000 in the
// emulator). Every authenticated REST call counts, failing ones included, as in Salesforce; once
// the allocation is used up calls fail with 403 REQUEST_LIMIT_EXCEEDED until the next (UTC) day.
// Each response reports the count in `Sforce-Limit-Info: api-usage=n/m`, which jsforce parses into
// `conn.limitInfo` (docs: headers_api_usage).

export class ApiUsage {
  private used = 0;
  private day: string;

  constructor(
    private limit: number,
    private readonly now: () => Date,
  ) {
    this.day = this.today();
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  private roll(): void {
    const today = this.today();
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
  }

  /** Counts one call; false when the allocation is already used up (the call is refused). */
  consume(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  snapshot(): { used: number; limit: number; remaining: number } {
    this.roll();
    return { used: this.used, limit: this.limit, remaining: Math.max(0, this.limit - this.used) };
  }

  header(): string {
    const { used, limit } = this.snapshot();
    return `api-usage=${used}/${limit}`;
  }

  /** For tests and benchmarks: pretend `used` calls were already made today, or change the allocation. */
  set(options: { used?: number; limit?: number }): void {
    this.roll();
    if (options.used !== undefined) this.used = options.used;
    if (options.limit !== undefined) this.limit = options.limit;
  }
}
